/**
 * A project's deadlines and when each party was told. The deadlines recorded by its close are
 * used when there are some, so a later edit of the map changes no past verdict; before the close
 * they are worked out from the map.
 */
import { wallOf } from '../../domain/calendar-zone.js';
import { tellBy, type Notice, type WorkCalendar } from '../../domain/calendar.js';
import { planDeliveries, type Decisions } from '../../domain/deliveries.js';
import { effectiveOf } from '../../domain/effective.js';
import type { StakeholderMap } from '../../domain/map.js';
import { deadlinesFor, dueState, timingsOf, type DueState, type PartyTiming } from '../../domain/notice-period.js';
import { expectedParties, selectParties } from '../../domain/select.js';
import type { ProjectState } from '../../domain/state.js';

export interface ProjectTimings {
  project: string;
  effective: string;
  timings: PartyTiming[];
  /** Every selected party told (skipped parties need no telling). */
  fullyTold: boolean;
}

/** The decisions on record, else what a close would decide from the map alone. */
function decisionsOf(map: StakeholderMap, state: ProjectState): Decisions {
  const p = state.planned;
  if (p) return { project: state.project, actions: p.actions, parties: p.parties.filter((id) => map.parties.has(id)), skipped: p.skipped, summary: p.summary };
  const actions = map.projects.get(state.project)?.actions ?? [];
  return { project: state.project, actions, parties: expectedParties(selectParties(map, { project: state.project, actions })), skipped: [], summary: '' };
}

/** Undefined for a project without an effective date. */
export function projectTimings(map: StakeholderMap, state: ProjectState, cal: WorkCalendar): ProjectTimings | undefined {
  const effective = state.planned ? effectiveOf(state.planned) : effectiveOf(map.projects.get(state.project)?.notice);
  if (!effective) return undefined;
  const d = decisionsOf(map, state);
  const deadlines = state.planned?.notice ?? deadlinesFor(map, state.project, d.parties, effective, cal);
  const deliveries = planDeliveries(map, d, state);
  const fullyTold = deliveries.every((x) => state.recipients.get(x.key)?.status === 'sent');
  return { project: state.project, effective, timings: timingsOf(deadlines, deliveries, state), fullyTold };
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
export function dueRows(t: ProjectTimings, cal: WorkCalendar, now: Date, within: Notice): DueRow[] {
  return t.timings.map((x) => {
    const by = Date.parse(x.tell_by);
    const from = tellBy(cal, wallOf(by, cal.timeZone), within).instant;
    return { project: t.project, effective: t.effective, party: x.party, notice: x.notice, tell_by: x.tell_by, state: dueState(x, now.getTime(), from), told_at: x.told_at };
  });
}

