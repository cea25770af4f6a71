/**
 * The close gate knows about time: a party whose deadline has passed without it being told in
 * time needs a reason (`--accept-late P=REASON`, or asked on a terminal), recorded as party.late.
 */
import type { Context } from '../../context.js';
import { describeNotice } from '../../domain/calendar.js';
import { isoInZone } from '../../domain/calendar-zone.js';
import { planDeliveries, type Decisions } from '../../domain/deliveries.js';
import { effectiveOf } from '../../domain/effective.js';
import type { NoticeUsed } from '../../domain/events.js';
import type { StakeholderMap } from '../../domain/map.js';
import { deadlinesFor, isLate, timingsOf, type PartyTiming } from '../../domain/notice-period.js';
import { didYouMean } from '../../domain/slug.js';
import type { ProjectState } from '../../domain/state.js';
import { UsageError } from '../../errors.js';
import { openCalendar, recordedCalendar } from './calendar.js';
import { when } from './when.js';

export interface LateGate {
  /** The deadlines to record in close.planned (a first close only). */
  notice?: NoticeUsed[];
  /** party.late events to record. */
  accepted: { party: string; tell_by: string; reason: string }[];
}

export function parseAccepts(entries: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    const eq = e.indexOf('=');
    const party = (eq < 0 ? e : e.slice(0, eq)).trim();
    const reason = eq < 0 ? '' : e.slice(eq + 1).trim();
    if (!party) throw new UsageError(`--accept-late ${e}: name the party before the reason: --accept-late PARTY="why telling them late is accepted"`);
    if (!reason) throw new UsageError(`--accept-late ${party} needs a reason: --accept-late ${party}="why telling them late is accepted"`);
    if (/[\r\n]/.test(reason)) throw new UsageError(`--accept-late ${party}: keep the reason on one line`);
    const given = out.get(party);
    if (given !== undefined && given !== reason) throw new UsageError(`--accept-late ${party} is given twice ("${given}", then "${reason}"): give one reason per party; nothing was sent`);
    out.set(party, reason);
  }
  return out;
}

const missed = (t: PartyTiming, zone: string) => `${t.party} had to be told by ${when(t.tell_by)} (${describeNotice(t.notice)} before the effective date)${t.told_at ? `, and was told ${when(isoInZone(Date.parse(t.told_at), zone))}` : ''}`;

export async function lateGate(map: StakeholderMap, state: ProjectState, d: Decisions, acceptLate: string[], ctx: Context): Promise<LateGate | undefined> {
  const accepts = parseAccepts(acceptLate);
  const effective = effectiveOf(state.planned) ?? effectiveOf(d);
  if (!effective) {
    if (accepts.size > 0) throw new UsageError(`--accept-late: ${d.project} has no effective date, so no party can be late`);
    return undefined;
  }
  const cal = recordedCalendar(await openCalendar(map, ctx), state.planned?.timezone ?? d.timezone);
  const notice = state.planned?.notice ?? deadlinesFor(map, d.project, d.parties, effective, cal);
  const timings = timingsOf(notice, planDeliveries(map, d, state), state);
  return { notice: state.planned ? undefined : notice, accepted: await acceptedLate(timings, accepts, cal.timeZone, ctx) };
}

/**
 * The parties whose deadline has passed without their being told in time, each with its
 * reason: from --accept-late, else asked on a terminal; without one, refused (nothing sent).
 * An --accept-late for a party that needs none is a mistake, said as such.
 */
export async function acceptedLate(timings: PartyTiming[], accepts: Map<string, string>, zone: string, ctx: Context): Promise<LateGate['accepted']> {
  const now = ctx.now().getTime();
  const needing = timings.filter((t) => t.accepted_reason === null && (t.told_at !== null ? isLate(t) : now > Date.parse(t.tell_by)));
  for (const [party, reason] of accepts) {
    if (!needing.some((t) => t.party === party)) {
      const t = timings.find((x) => x.party === party);
      // A rerun with the flags of a run that recorded this very reason before it stopped.
      if (t?.accepted_reason === reason) continue;
      const why = t ? (t.accepted_reason !== null ? `its late notice is already accepted ("${t.accepted_reason}"); nothing was sent` : `its deadline ${when(t.tell_by)} is met or still ahead`) : `it has no deadline in this close${didYouMean(party, timings.map((x) => x.party))}`;
      throw new UsageError(`--accept-late ${party}: ${why}`);
    }
  }
  const accepted: LateGate['accepted'] = [];
  for (const t of needing) {
    let reason = accepts.get(t.party);
    if (reason === undefined) {
      if (!ctx.interactive) throw new UsageError(`${missed(t, zone)}: the deadline has passed; nothing was sent`, `accept it with a reason: --accept-late ${t.party}="why they are told late"`);
      reason = (await ctx.prompter.input(`${missed(t, zone)}. Why is telling them late accepted? (recorded in the log)`, { required: true })).trim();
      if (!reason || /[\r\n]/.test(reason)) throw new UsageError('a late reason must be one non-empty line');
    }
    accepted.push({ party: t.party, tell_by: t.tell_by, reason });
  }
  return accepted;
}
