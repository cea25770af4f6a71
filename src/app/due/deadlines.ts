/** Each party's deadline and whether it was met, for `status` and `report`. */
import type { Context } from '../../context.js';
import type { WorkCalendar } from '../../domain/calendar.js';
import type { StakeholderMap } from '../../domain/map.js';
import { isLate } from '../../domain/notice-period.js';
import { emptyState, type ProjectState } from '../../domain/state.js';
import { logName, warned } from '../workspace.js';
import { openCalendar } from './calendar.js';
import { inForceOf, projectTimings } from './timings.js';

export interface PartyDeadline {
  party: string;
  tell_by: string;
  told_at: string | null;
  /** true told in time; false told late, or not told and the deadline passed; null not told yet, deadline ahead. */
  met: boolean | null;
  accepted_reason: string | null;
}

/**
 * Deadlines of every project given that has an effective date (by id); `brief` are the states
 * as far as they are known (a streamed summary drops send times: such projects are read again
 * through the index).
 */
export async function deadlinesOf(map: StakeholderMap, ids: string[], brief: Map<string, ProjectState>, ctx: Context): Promise<Map<string, PartyDeadline[]>> {
  const out = new Map<string, PartyDeadline[]>();
  let cal: WorkCalendar | undefined;
  for (const id of ids) {
    const s = brief.get(id);
    if (inForceOf(map, s ?? emptyState(id)).effective === undefined) continue;
    cal ??= await openCalendar(map, ctx);
    const state = s?.planned ? warned(await ctx.ports.log.readIndexedState(map, logName(map, ctx), id, ctx.env), ctx) : (s ?? emptyState(id));
    const t = projectTimings(map, state, cal);
    const now = ctx.now().getTime();
    out.set(
      id,
      (t?.timings ?? []).map((x) => ({ party: x.party, tell_by: x.tell_by, told_at: x.told_at, met: x.told_at !== null ? !isLate(x) : now > Date.parse(x.tell_by) ? false : null, accepted_reason: x.accepted_reason })),
    );
  }
  return out;
}
