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
import { ackStatus, allAcknowledged, type AckStatus } from '../domain/ack-status.js';
import { logName, warned } from '../app/workspace.js';
import { lateLine, lateParties, type LateParty } from '../app/due/late.js';
import { amendmentWhat } from '../app/amend/what.js';
import { cancellationOf, type Cancellation } from '../domain/in-force.js';

export interface CheckOptions extends MapOptions {
  /** Without it (and without --from-branch): every project that has a plan. */
  project?: string;
  json?: boolean;
  fromBranch?: boolean;
  /** Also wait for the acknowledgements of parties that must acknowledge. */
  acks?: boolean;
}

type Checked = ProjectSummary & { acks?: AckStatus; late: LateParty[]; cancelled?: Cancellation };

const jsonOf = (sum: Checked) => ({
  project: sum.project,
  closed: sum.closed,
  notified: sum.notified,
  pending: [...sum.pending, ...sum.unknown],
  failed: sum.failed,
  skipped: sum.skipped,
  late: sum.late.map(({ zone: _zone, ...l }) => l),
  ...(sum.amendment ? { amendment: sum.amendment } : {}),
  ...(sum.cancelled ? { cancelled: sum.cancelled } : {}),
  ...(sum.acks ? { acks: { acknowledged: sum.acks.acknowledged, waiting: sum.acks.waiting, bounced: sum.acks.bounced } } : {}),
});

/** Closed, no party told late without an accepted reason, and with --acks every recipient who must acknowledge did. */
const passes = (sum: Checked) => sum.closed && sum.late.every((l) => l.accepted_reason !== null) && (!sum.acks || allAcknowledged(sum.acks));

async function checked(map: StakeholderMap, project: string, o: CheckOptions, ctx: Context, fromBranch = false): Promise<Checked> {
  const state = warned(await ctx.ports.log.readIndexedState(map, logName(map, ctx), project, ctx.env), ctx);
  const sum = { ...(await projectSummary(map, project, ctx, fromBranch)), late: await lateParties(map, project, ctx), cancelled: cancellationOf(state) };
  if (!o.acks) return sum;
  return { ...sum, acks: ackStatus(map, state) };
}

export async function runCheck(o: CheckOptions, ctx: Context): Promise<number> {
  const project = await resolveProject(o, ctx, true);
  const map = await openMap(o, ctx);
  if (project === undefined) return checkPlanned(map, o, ctx);
  checkProjectId(project);
  const sum = await checked(map, project, o, ctx, o.fromBranch);
  if (o.json) ctx.stdout.write(`${JSON.stringify(jsonOf(sum), null, 2)}\n`);
  else printCheck(sum, ctx);
  return passes(sum) ? EXIT.ok : EXIT.incomplete;
}

/** Every project with a plan: the gate for a repository where plans are committed. */
async function checkPlanned(map: StakeholderMap, o: CheckOptions, ctx: Context): Promise<number> {
  const ids = listPlans(map);
  if (ids.length === 0) throw new UsageError('no plan in .notify/plans to check', 'give a project id, or --from-branch; plans are written by notify plan <project>');
  const sums: Checked[] = [];
  for (const id of ids) sums.push(await checked(map, id, o, ctx));
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
  if (sum.acks && sum.closed) printAcks(sum.project, sum.acks, ctx);
  if (sum.acks && sum.closed && !allAcknowledged(sum.acks)) return;
  if (sum.acks && !sum.closed) printAcks(sum.project, sum.acks, ctx, false);
  if (sum.closed) {
    const cancelled = sum.cancelled ? `; cancelled on ${sum.cancelled.at} (${sum.cancelled.reason}), and everyone told knows` : '';
    ctx.stdout.write(`${s.tick} ${sum.project} is closed (${sum.closed_at}): ${sum.notified.length} part${sum.notified.length === 1 ? 'y' : 'ies'} told${sum.skipped.length ? `, ${sum.skipped.length} skipped` : ''}${cancelled}\n`);
    return;
  }
  const a = sum.amendment;
  const why = a ? `: an amendment recorded on ${a.since} is in progress (${amendmentWhat(a)}); \`notify amend ${sum.project}\` sends the rest` : sum.planned ? '' : ' (no close has been started)';
  ctx.stdout.write(`${s.cross} ${sum.project} is not closed${why}\n`);
  // A correction or cancellation goes to parties the close told: say which message each line is about.
  const of = a && a.kind !== 'parties' ? ` (${a.kind === 'cancel' ? 'cancellation' : 'correction'})` : '';
  for (const p of sum.pending) ctx.stdout.write(`  pending${of}: ${p}\n`);
  for (const p of sum.unknown) ctx.stdout.write(`  unknown outcome${of}: ${p}\n`);
  for (const p of sum.failed) ctx.stdout.write(`  failed${of}: ${p}\n`);
  for (const p of sum.notified) ctx.stdout.write(`  ${s.tick} told${of ? ' of the close' : ''}: ${p}\n`);
  for (const p of sum.skipped) ctx.stdout.write(`  skipped: ${p.party} (${p.reason})\n`);
  for (const l of late) ctx.stdout.write(`  late: ${lateLine(l)}\n`);
}

function printAcks(project: string, a: AckStatus, ctx: Context, closed = true): void {
  const s = ctx.style;
  if (allAcknowledged(a)) return void ctx.stdout.write(`${s.tick} ${project}: every recipient who must acknowledge did (${a.acknowledged.length})\n`);
  const n = a.waiting.length + a.bounced.length;
  ctx.stdout.write(`${s.cross} ${project}${closed ? ' is closed, but' : ':'} ${n} recipient${n === 1 ? ' has' : 's have'} not acknowledged\n`);
  for (const w of a.waiting) ctx.stdout.write(`  waiting: ${w}\n`);
  for (const b of a.bounced) ctx.stdout.write(`  bounced: ${b}\n`);
  for (const k of a.acknowledged) ctx.stdout.write(`  ${s.tick} acknowledged: ${k}\n`);
}
