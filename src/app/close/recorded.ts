/**
 * A close whose decisions are already in the log sends what the log says was decided, never
 * what this run's flags or answers say: what the log records is what was sent. When the two
 * differ, the run refuses before sending anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Decisions } from '../../domain/deliveries.js';
import { UsageError } from '../../errors.js';
import type { PlanFlags } from '../plan-files/for-close.js';

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
const skipsOf = (d: Decisions) => d.skipped.map((s) => `${s.party}=${s.reason}`);

/** The flags of this run that say something other than the recorded decisions. */
export function flagsAgainstRecord(recorded: Decisions, f: PlanFlags, cwd: string): string[] {
  const out: string[] = [];
  if (f.summary !== undefined && f.summary.trim() !== recorded.summary) out.push('--summary');
  if (f.title !== undefined && f.title !== recorded.title) out.push('--title');
  if (f.actions.length > 0 && !sameSet(f.actions, recorded.actions)) out.push('--action');
  if (f.parties.some((p) => !recorded.parties.includes(p))) out.push('--party');
  const skips = skipsOf(recorded);
  if (f.skips.some((s) => !skips.includes(s.replace(/=\s*/, '=').trim()))) out.push('--skip');
  if (f.detailsFile !== undefined) {
    let text: string | undefined;
    try {
      text = fs.readFileSync(path.resolve(cwd, f.detailsFile), 'utf8').trim() || undefined;
    } catch {
      text = undefined;
    }
    if (text !== recorded.details) out.push('--details-file');
  }
  return out;
}

/** The fields in which two sets of decisions differ (who decided is not one of them). */
export function decisionsDiffer(a: Decisions, b: Decisions): string[] {
  const out: string[] = [];
  if (a.title !== b.title) out.push('title');
  if (!sameSet(a.actions, b.actions)) out.push('actions');
  if (!sameSet(a.parties, b.parties)) out.push('parties');
  if (!sameSet(skipsOf(a), skipsOf(b))) out.push('skipped parties');
  if (a.summary !== b.summary) out.push('summary');
  if ((a.details ?? '') !== (b.details ?? '')) out.push('details');
  return out;
}

export function recordedElsewhere(project: string, when: string, differ: string[], byThisRun: string): UsageError {
  return new UsageError(
    `${project}: the decisions were recorded on ${when}, and ${byThisRun} ${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'} from them; nothing was sent`,
    `what the log records is what is sent: run \`notify close ${project}\` without those flags to send the rest of what was decided (\`notify log ${project}\` shows it)`,
  );
}
