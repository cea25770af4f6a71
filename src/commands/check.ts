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
import { lateLine, lateParties, type LateParty } from '../app/due/late.js';

export interface CheckOptions extends MapOptions {
  /** Without it (and without --from-branch): every project that has a plan. */
  project?: string;
  json?: boolean;
  fromBranch?: boolean;
}

type Checked = ProjectSummary & { late: LateParty[] };

const jsonOf = (sum: Checked) => ({ project: sum.project, closed: sum.closed, notified: sum.notified, pending: [...sum.pending, ...sum.unknown], failed: sum.failed, skipped: sum.skipped, late: sum.late.map(({ zone: _zone, ...l }) => l) });

/** Closed, and no party told late without an accepted reason. */
const passes = (sum: Checked) => sum.closed && sum.late.every((l) => l.accepted_reason !== null);

async function checked(map: StakeholderMap, project: string, ctx: Context): Promise<Checked> {
  return { ...(await projectSummary(map, project, ctx)), late: await lateParties(map, project, ctx) };
}

export async function runCheck(o: CheckOptions, ctx: Context): Promise<number> {
  const project = await resolveProject(o, ctx, true);
  const map = await openMap(o, ctx);
  if (project === undefined) return checkPlanned(map, o, ctx);
  checkProjectId(project);
  const sum = await checked(map, project, ctx);
  if (o.json) ctx.stdout.write(`${JSON.stringify(jsonOf(sum), null, 2)}\n`);
  else printCheck(sum, ctx);
  return passes(sum) ? EXIT.ok : EXIT.incomplete;
}

/** Every project with a plan: the gate for a repository where plans are committed. */
async function checkPlanned(map: StakeholderMap, o: CheckOptions, ctx: Context): Promise<number> {
  const ids = listPlans(map);
  if (ids.length === 0) throw new UsageError('no plan in .notify/plans to check', 'give a project id, or --from-branch; plans are written by notify plan <project>');
  const sums: Checked[] = [];
  for (const id of ids) sums.push(await checked(map, id, ctx));
  if (o.json) ctx.stdout.write(`${JSON.stringify(sums.map(jsonOf), null, 2)}\n`);
  else for (const sum of sums) printCheck(sum, ctx);
  return sums.every(passes) ? EXIT.ok : EXIT.incomplete;
}

function printCheck(sum: Checked, ctx: Context): void {
  const s = ctx.style;
  const late = sum.late.filter((l) => l.accepted_reason === null);
  if (sum.closed && late.length > 0) {
    ctx.stdout.write(`${s.cross} ${sum.project} is closed, but ${late.length} part${late.length === 1 ? 'y was' : 'ies were'} told late:\n`);
    for (const l of late) ctx.stdout.write(`  late: ${lateLine(l)}\n`);
    return;
  }
  for (const l of sum.late) if (l.accepted_reason !== null) ctx.stderr.write(`notify: ${sum.project}: ${lateLine(l)}; accepted: ${l.accepted_reason}\n`);
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
  for (const l of late) ctx.stdout.write(`  late: ${lateLine(l)}\n`);
}
