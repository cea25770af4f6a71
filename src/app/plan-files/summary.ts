/** Where a project stands for `check`: from the map, its plan and the log only, never git history. */
import type { Context } from '../../context.js';
import type { StakeholderMap } from '../../domain/map.js';
import { planClose, summarize, type ProjectSummary } from '../../domain/close-plan.js';
import { displayPath } from '../../config/load.js';
import { logName, warned } from '../workspace.js';
import { loadPlan } from './read.js';
import { requireKnownProject } from '../known-project.js';

export async function projectSummary(map: StakeholderMap, project: string, ctx: Context, fromBranch = false): Promise<ProjectSummary> {
  const state = warned(await ctx.ports.log.readIndexedState(map, logName(map, ctx), project, ctx.env), ctx);
  // Once the close is in the log, the log decides; before that, the plan says who must be told.
  const plan = state.planned || state.closed ? undefined : loadPlan(map, project, (f) => displayPath(ctx.cwd, f));
  await requireKnownProject(map, project, ctx, { inLog: state.firstTs !== undefined, fromBranch });
  if (!plan) return summarize(map, state);
  const d = plan.decisions;
  const p = planClose(map, state, d, { now: ctx.now(), resendUnknown: false }).progress;
  return { project, title: d.title ?? map.projects.get(project)?.title, closed: false, planned: false, notified: p.notified, pending: p.pending, failed: p.failed, unknown: p.unknown, skipped: p.skipped };
}
