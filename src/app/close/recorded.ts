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
import { noticeDiffers, parseLink, splitNote } from '../../domain/notice.js';
import { effectiveFlag } from './decide-notice.js';

const sameSet = (a: string[], b: string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};
const skipsOf = (d: Decisions) => d.skipped.map((s) => `${s.party}=${s.reason}`);

/** The flags of this run that say something other than the recorded decisions. */
export function flagsAgainstRecord(recorded: Decisions, f: PlanFlags, cwd: string): string[] {
  const out: string[] = [];
  if (f.summary !== undefined && f.summary.trim() !== recorded.summary) out.push('--summary');
  if (f.title !== undefined && f.title !== recorded.title) out.push('--title');
  if (f.actions.length > 0 && !sameSet(f.actions, recorded.actions)) out.push('--action');
  const skipped = new Set(recorded.skipped.map((s) => s.party));
  if (f.parties.some((p) => !recorded.parties.includes(p) && !skipped.has(p))) out.push('--party');
  // As decide reads them: the party before the first '=', trimmed; the last reason given wins.
  const given = new Map(f.skips.map((s) => {
    const eq = s.indexOf('=');
    return [(eq < 0 ? s : s.slice(0, eq)).trim(), eq < 0 ? '' : s.slice(eq + 1).trim()] as const;
  }));
  const recordedSkips = new Map(recorded.skipped.map((s) => [s.party, s.reason]));
  if ([...given].some(([party, reason]) => recordedSkips.get(party) !== reason)) out.push('--skip');
  out.push(...noticeFlagsAgainst(recorded, f));
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
  out.push(...noticeDiffers(a, b));
  return out;
}

/** The notice flags of this run that say something other than what was recorded. */
function noticeFlagsAgainst(recorded: Decisions, f: PlanFlags): string[] {
  const out: string[] = [];
  let effective: string | undefined;
  try {
    effective = effectiveFlag(f.effective);
  } catch {
    effective = f.effective;
  }
  if (f.effective !== undefined && effective !== recorded.effective) out.push('--effective');
  if (f.audience !== undefined && f.audience.trim() !== recorded.audience) out.push('--audience');
  if (f.customersSee !== undefined && f.customersSee.trim() !== recorded.customersWillSee) out.push('--customers-see');
  if (f.answer !== undefined && f.answer.trim() !== recorded.whatToSay) out.push('--answer');
  if ((f.notes ?? []).map(splitNote).some((n) => recorded.notes?.[n.party] !== n.text)) out.push('--note');
  const urls = new Set((recorded.links ?? []).map((l) => `${l.title}\0${l.url}`));
  if ((f.links ?? []).map(parseLink).some((l) => 'problem' in l || !urls.has(`${l.title}\0${l.url}`))) out.push('--link');
  return out;
}

export function recordedElsewhere(project: string, when: string, differ: string[], byThisRun: string): UsageError {
  return new UsageError(
    `${project}: the decisions were recorded on ${when}, and ${byThisRun} ${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'} from them; nothing was sent`,
    `what the log records is what is sent: run \`notify close ${project}\` without those flags to send the rest of what was decided (\`notify log ${project}\` shows it)`,
  );
}
