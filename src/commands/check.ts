/** notify check <project>: the gate. 0 closed, 1 not closed (with what is pending), 2 config error. */
import type { Context } from '../context.js';
import type { StakeholderMap } from '../domain/map.js';
import type { ProjectSummary } from '../domain/close-plan.js';
import { EXIT, UsageError } from '../errors.js';
import { checkProjectId } from '../app/close/decide.js';
import { openMap, type MapOptions } from '../app/workspace.js';
import { listPlans } from '../app/plan-files/file.js';
import { resolveProject } from '../app/plan-files/project-arg.js';
import { projectSummary } from '../app/plan-files/summary.js';

export interface CheckOptions extends MapOptions {
  /** Without it (and without --from-branch): every project that has a plan. */
  project?: string;
  json?: boolean;
  fromBranch?: boolean;
}

const jsonOf = (sum: ProjectSummary) => ({ project: sum.project, closed: sum.closed, notified: sum.notified, pending: [...sum.pending, ...sum.unknown], failed: sum.failed, skipped: sum.skipped });

export async function runCheck(o: CheckOptions, ctx: Context): Promise<number> {
  const project = await resolveProject(o, ctx, true);
  const map = await openMap(o, ctx);
  if (project === undefined) return checkPlanned(map, o, ctx);
  checkProjectId(project);
  const sum = await projectSummary(map, project, ctx, o.fromBranch);
  if (o.json) ctx.stdout.write(`${JSON.stringify(jsonOf(sum), null, 2)}\n`);
  else printCheck(sum, ctx);
  return sum.closed ? EXIT.ok : EXIT.incomplete;
}

/** Every project with a plan: the gate for a repository where plans are committed. */
async function checkPlanned(map: StakeholderMap, o: CheckOptions, ctx: Context): Promise<number> {
  const ids = listPlans(map);
  if (ids.length === 0) throw new UsageError('no plan in .notify/plans to check', 'give a project id, or --from-branch; plans are written by notify plan <project>');
  const sums: ProjectSummary[] = [];
  for (const id of ids) sums.push(await projectSummary(map, id, ctx));
  if (o.json) ctx.stdout.write(`${JSON.stringify(sums.map(jsonOf), null, 2)}\n`);
  else for (const sum of sums) printCheck(sum, ctx);
  return sums.every((x) => x.closed) ? EXIT.ok : EXIT.incomplete;
}

function printCheck(sum: ProjectSummary, ctx: Context): void {
  const s = ctx.style;
  if (sum.closed) {
    ctx.stdout.write(`${s.tick} ${sum.project} is closed (${sum.closed_at}): ${sum.notified.length} part${sum.notified.length === 1 ? 'y' : 'ies'} told${sum.skipped.length ? `, ${sum.skipped.length} skipped` : ''}\n`);
    return;
  }
  ctx.stdout.write(`${s.cross} ${sum.project} is not closed${sum.planned ? '' : ' (no close has been started)'}\n`);
  for (const p of sum.pending) ctx.stdout.write(`  pending: ${p}\n`);
  for (const p of sum.unknown) ctx.stdout.write(`  unknown outcome: ${p}\n`);
  for (const p of sum.failed) ctx.stdout.write(`  failed: ${p}\n`);
  for (const p of sum.notified) ctx.stdout.write(`  ${s.tick} told: ${p}\n`);
  for (const p of sum.skipped) ctx.stdout.write(`  skipped: ${p.party} (${p.reason})\n`);
}
