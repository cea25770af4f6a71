/**
 * A project's deadlines and when each party was told. The deadlines recorded by its close (or by
 * the amendment that last moved its date) are used when there are some, and the zone it recorded,
 * so a later edit of the map changes no past verdict; before the close they are worked out from
 * the map. A cancelled project has none.
 */
import { wallOf } from '../../domain/calendar-zone.js';
import { tellBy, type Notice, type WorkCalendar } from '../../domain/calendar.js';
import { partiesSoFar, toldSoFar } from '../../domain/amend-plan.js';
import { planDeliveries, type Decisions } from '../../domain/deliveries.js';
import { effectiveOf } from '../../domain/effective.js';
import type { StakeholderMap } from '../../domain/map.js';
import { deadlinesFor, dueState, timingsOf, type DueState, type PartyTiming } from '../../domain/notice-period.js';
import { inForce, type InForce } from '../../domain/in-force.js';
import { expectedParties, selectParties } from '../../domain/select.js';
import type { ProjectState } from '../../domain/state.js';
import { recordedCalendar } from './calendar.js';

export interface ProjectTimings {
  project: string;
  /** The date in force. */
  effective: string;
  timings: PartyTiming[];
  /** Every selected party told, of the date in force (skipped parties need no telling). */
  fullyTold: boolean;
  /** The calendar the deadlines are counted in: the map's, in the zone the close recorded. */
  calendar: WorkCalendar;
}

/** The decisions on record, else what a close would decide from the map alone. */
function decisionsOf(map: StakeholderMap, state: ProjectState): Decisions {
  const p = state.planned;
  if (p) return { project: state.project, actions: p.actions, parties: partiesSoFar(map, state), skipped: p.skipped, summary: p.summary };
  const actions = map.projects.get(state.project)?.actions ?? [];
  return { project: state.project, actions, parties: expectedParties(selectParties(map, { project: state.project, actions })), skipped: [], summary: '' };
}

/** What is in force: from the log once a close is decided, else the map's effective date. */
export function inForceOf(map: StakeholderMap, state: ProjectState): InForce {
  return state.planned ? inForce(state) : { effective: effectiveOf(map.projects.get(state.project)?.notice) };
}

/** Undefined for a project without an effective date, or cancelled. */
export function projectTimings(map: StakeholderMap, state: ProjectState, mapCalendar: WorkCalendar): ProjectTimings | undefined {
  const now = inForceOf(map, state);
  const effective = now.effective;
  if (!effective || now.cancelledBy) return undefined;
  const cal = recordedCalendar(mapCalendar, now.timezone);
  const d = decisionsOf(map, state);
  const deadlines = now.notice ?? deadlinesFor(map, state.project, d.parties, effective, cal);
  const deliveries = planDeliveries(map, d, state);
  const timings = timingsOf(deadlines, deliveries, state);
  const told = toldSoFar(state);
  const fullyTold = deliveries.every((x) => told.has(x.key)) && timings.every((t) => t.told_at !== null);
  return { project: state.project, effective, timings, fullyTold, calendar: cal };
}


export interface DueRow {
  project: string;
  effective: string;
  party: string;
  notice: Notice;
  tell_by: string;
  state: DueState;
  told_at: string | null;
}

/** Rows for `due`, one per party with a deadline; `within` makes an untold party `due` that long before its deadline. */
export function dueRows(t: ProjectTimings, now: Date, within: Notice): DueRow[] {
  const cal = t.calendar;
  return t.timings.map((x) => {
    const by = Date.parse(x.tell_by);
    const from = tellBy(cal, wallOf(by, cal.timeZone), within).instant;
    return { project: t.project, effective: t.effective, party: x.party, notice: x.notice, tell_by: x.tell_by, state: dueState(x, now.getTime(), from), told_at: x.told_at };
  });
}

