/** The parties of a project told after their deadline, for `check` (and its --json `late`). */
import type { Context } from '../../context.js';
import { isoInZone } from '../../domain/calendar-zone.js';
import type { StakeholderMap } from '../../domain/map.js';
import { isLate } from '../../domain/notice-period.js';
import { logName, warned } from '../workspace.js';
import { openCalendar } from './calendar.js';
import { inForceOf, projectTimings } from './timings.js';
import { when } from './when.js';

export interface LateParty {
  party: string;
  tell_by: string;
  told_at: string;
  accepted_reason: string | null;
  /** For people: the zone the deadline is written in. */
  zone: string;
}

export async function lateParties(map: StakeholderMap, project: string, ctx: Context): Promise<LateParty[]> {
  const state = warned(await ctx.ports.log.readIndexedState(map, logName(map, ctx), project, ctx.env), ctx);
  // Nothing to count without an effective date: the calendar (and its holidays) is not even opened.
  if (inForceOf(map, state).effective === undefined) return [];
  const cal = await openCalendar(map, ctx);
  const t = projectTimings(map, state, cal);
  return (t?.timings ?? []).filter(isLate).map((x) => ({ party: x.party, tell_by: x.tell_by, told_at: x.told_at!, accepted_reason: x.accepted_reason, zone: t!.calendar.timeZone }));
}

export function lateLine(l: LateParty): string {
  return `${l.party}, to be told by ${when(l.tell_by)}, was told ${when(isoInZone(Date.parse(l.told_at), l.zone))}`;
}
