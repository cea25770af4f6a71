/**
 * Told in time after a move of the date: the deadlines of the new date (the close's notice
 * periods, counted back in the zone the close recorded), and the gate of `amend --effective`;
 * and for a party told later (`amend --party`), its own deadline for the date in force, with the
 * same gate.
 * A move later keeps the notices already sent in time; a move earlier whose deadline has passed
 * for a party not told of a date that early needs a reason, as `close` does (--accept-late,
 * asked on a terminal, recorded as party.late).
 */
import type { Context } from '../../context.js';
import { partiesSoFar, type AmendDecisions } from '../../domain/amend-plan.js';
import { planDeliveries } from '../../domain/deliveries.js';
import type { NoticeUsed } from '../../domain/events.js';
import { inForce, isEventUpdate, toldOfDateInForce } from '../../domain/in-force.js';
import type { StakeholderMap } from '../../domain/map.js';
import { deadlinesAgain, deadlinesFor, timingsOf } from '../../domain/notice-period.js';
import type { ProjectState } from '../../domain/state.js';
import { UsageError } from '../../errors.js';
import { openCalendar, recordedCalendar } from '../due/calendar.js';
import { acceptedLate, parseAccepts, type LateGate } from '../due/gate.js';

/** The deadlines a move to `effective` gives: the periods in force, counted back from the new date. */
export async function movedDeadlines(map: StakeholderMap, state: ProjectState, effective: string, ctx: Context): Promise<NoticeUsed[]> {
  const now = inForce(state);
  const cal = recordedCalendar(await openCalendar(map, ctx), now.timezone);
  if (now.notice) return deadlinesAgain(now.notice, effective, cal);
  // A close without a date recorded no periods: the map's, for the parties told so far.
  return deadlinesFor(map, state.project, partiesSoFar(map, state), effective, cal);
}

/** The deadlines of parties told later (`amend --party`) for the date in force: none without a date. */
export async function addedDeadlines(map: StakeholderMap, state: ProjectState, parties: string[], ctx: Context): Promise<NoticeUsed[]> {
  const now = inForce(state);
  if (now.effective === undefined) return [];
  return deadlinesFor(map, state.project, parties, now.effective, recordedCalendar(await openCalendar(map, ctx), now.timezone));
}

/** The party.late lines a move needs before anything is sent; none for any other amendment. */
export async function amendLateGate(map: StakeholderMap, state: ProjectState, a: AmendDecisions, acceptLate: string[], ctx: Context): Promise<LateGate['accepted']> {
  const accepts = parseAccepts(acceptLate);
  const added = a.kind === 'parties' && (a.notice?.length ?? 0) > 0;
  if (a.kind === 'cancel' || !(isEventUpdate(a) || added)) {
    const why = a.kind === 'cancel' ? 'a cancelled change has no deadline' : a.kind === 'parties' ? 'the parties told now have no deadline (no notice period, or no effective date)' : 'this amendment does not move the date, so it gives no new deadline';
    if (accepts.size > 0) throw new UsageError(`--accept-late: ${why}; nothing was sent`);
    return [];
  }
  const planned = state.planned!;
  const d = { project: state.project, actions: planned.actions, parties: added ? a.parties : partiesSoFar(map, state), skipped: planned.skipped, summary: planned.summary };
  const recorded = state.amending !== undefined;
  // A move in the log is the date in force; one being decided is counted as if it were.
  const sends = recorded ? toldOfDateInForce(state) : toldOfDateInForce(state, a.effective);
  const timings = timingsOf(a.notice ?? [], planDeliveries(map, d, state), state, sends);
  const cal = recordedCalendar(await openCalendar(map, ctx), planned.timezone);
  return acceptedLate(timings, accepts, cal.timeZone, ctx);
}
