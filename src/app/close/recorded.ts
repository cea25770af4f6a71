/**
 * A close whose decisions are already in the log sends what the log says was decided, never
 * what this run's flags or answers say: what the log records is what was sent. When the two
 * differ, the run refuses before sending anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { planDeliveries, type Decisions } from '../../domain/deliveries.js';
import type { SkippedParty } from '../../domain/events.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { ProjectState } from '../../domain/state.js';
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
  const given = parseSkipFlags(f.skips);
  // A party given and skipped in the same run is skipped (as decide reads it): the same command again.
  if (f.parties.some((p) => !recorded.parties.includes(p) && !given.has(p))) out.push('--party');
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

/** As decide reads them: the party before the first '=', trimmed; the last reason given wins. */
function parseSkipFlags(skips: string[]): Map<string, string> {
  return new Map(skips.map((s) => {
    const eq = s.indexOf('=');
    return [(eq < 0 ? s : s.slice(0, eq)).trim(), eq < 0 ? '' : s.slice(eq + 1).trim()] as const;
  }));
}

/** The recorded decisions with the parties skipped since (party.skipped after close.planned). */
export function withLaterSkips(recorded: Decisions, state: ProjectState): Decisions {
  const later = state.skipped.filter((s) => !recorded.skipped.some((r) => r.party === s.party));
  if (later.length === 0) return recorded;
  return { ...recorded, parties: recorded.parties.filter((p) => !later.some((s) => s.party === p)), skipped: [...recorded.skipped, ...later] };
}

/** Recorded parties whose every recipient was refused permanently (5xx): they may still be skipped. */
export function refusedParties(map: StakeholderMap, recorded: Decisions, state: ProjectState): string[] {
  const parties = recorded.parties.filter((p) => map.parties.has(p));
  const skippable = parties.filter((p) => !map.parties.get(p)!.always);
  const deliveries = planDeliveries(map, { ...recorded, parties }, state);
  return skippable.filter((p) => {
    const mine = deliveries.filter((d) => d.parties.includes(p));
    return mine.length > 0 && mine.every((d) => {
      const r = state.recipients.get(d.key);
      return r?.status === 'failed' && r.permanent === true;
    });
  });
}

/**
 * `--skip P=REASON` on a resumed close, for a recorded party whose every recipient was refused
 * permanently: the one change to the record a resume accepts. Returns those skips, and the
 * flags left to hold against the record.
 */
export function lateSkips(map: StakeholderMap, recorded: Decisions, state: ProjectState, f: PlanFlags): { skips: SkippedParty[]; rest: PlanFlags } {
  const refused = new Set(refusedParties(map, recorded, state));
  const skips: SkippedParty[] = [];
  const rest: string[] = [];
  for (const flag of f.skips) {
    const [[party, reason]] = parseSkipFlags([flag]);
    if (refused.has(party) && reason && !/[\r\n]/.test(reason)) skips.push({ party, reason });
    else rest.push(flag);
  }
  return { skips, rest: { ...f, skips: rest } };
}

/**
 * A run whose flags would change what the log records: exit 2, saying what is recorded and
 * where to go instead (`notify amend` for a party or a correction, the map for an address).
 */
export function refuseChanges(map: StakeholderMap, state: ProjectState, recorded: Decisions, differ: string[], f: PlanFlags): UsageError {
  const project = recorded.project;
  const closed = state.closed ?? state.amending?.after;
  const when = `${state.planned?.ts ?? ''}${closed ? ` and ${project} was closed on ${closed.ts}` : ''}`;
  const quote = (x: string | undefined) => (x === undefined ? '(none)' : `"${x}"`);
  const amend = (what: string) => (closed ? `notify amend ${project} ${what}` : `once the close is finished, notify amend ${project} ${what}`);
  const notes: string[] = [];
  for (const flag of differ) {
    if (flag === '--party') {
      const added = f.parties.filter((p) => !recorded.parties.includes(p) && !parseSkipFlags(f.skips).has(p));
      notes.push(`the parties recorded are ${recorded.parties.join(', ') || '(none)'}; to tell ${added.join(', ')} as well: ${amend(added.map((p) => `--party ${p}`).join(' '))} --reason "..."`);
    } else if (flag === '--skip') {
      const told = parseSkipFlags(f.skips);
      const ofRecord = [...told.keys()].filter((p) => recorded.parties.includes(p));
      notes.push(`skipped on record: ${recorded.skipped.map((s) => `${s.party} (${s.reason})`).join(', ') || '(none)'}`);
      for (const p of ofRecord) {
        const pos = map.parties.get(p)?.pos;
        notes.push(`${p} is recorded as a party to tell, and can be skipped now only once every address of it has been refused permanently (5xx); for a wrong address, fix it in ${path.basename(map.file)}${pos ? `:${pos.line}` : ''} and run again`);
      }
    } else if (flag === '--summary') notes.push(`the summary recorded is ${quote(recorded.summary)}${closed ? `; to send everyone told a correction: notify amend ${project} --correction "..." --reason "..."` : ''}`);
    else if (flag === '--title') notes.push(`the title recorded is ${quote(recorded.title)}`);
    else if (flag === '--action') notes.push(`the actions recorded are ${recorded.actions.join(', ') || '(none)'}${closed ? `; a party those actions concern: ${amend('--party ID')} --reason "..."` : ''}`);
    else if (flag === '--details-file') notes.push(`the details recorded ${recorded.details ? 'are not those of this file' : 'are empty'}${closed ? `; to send new details: notify amend ${project} --correction "..." --details-file FILE --reason "..."` : ''}`);
  }
  return new UsageError(
    `${project}: the decisions were recorded on ${when}, and this run's ${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'} from them; nothing was sent`,
    `${notes.join('\n  ')}\n  what the log records is what is sent: \`notify log ${project}\` shows it`,
  );
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
