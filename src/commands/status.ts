/** notify status [project]: every project of the map, the log or a plan file, open or closed. */
import path from 'node:path';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { summarize } from '../domain/close-plan.js';
import { ackStatus, type AckPartyStatus } from '../domain/ack-status.js';
import { emptyState, type ProjectState } from '../domain/state.js';
import type { StakeholderMap } from '../domain/map.js';
import { listPlans, planPath } from '../app/plan-files/file.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';
import { requireKnownProject } from '../app/known-project.js';
import { deadlinesOf } from '../app/due/deadlines.js';
import { when } from '../app/due/when.js';
import { amendmentWhat } from '../app/amend/what.js';
import { cancellationOf } from '../domain/in-force.js';

export interface StatusOptions extends MapOptions {
  project?: string;
  json?: boolean;
}

export async function runStatus(o: StatusOptions, ctx: Context): Promise<number> {
  const map = await openMap(o, ctx);
  const states = o.project !== undefined ? new Map([[o.project, await knownState(map, o.project, ctx)]]) : warned(await ctx.ports.log.readSummaryStates(map, logName(map, ctx)), ctx);
  // A project amended since its close is open again: the streamed fold dropped who was told, so read it in full.
  if (o.project === undefined) for (const [id, st] of states) if (st.amending) states.set(id, await projectState(map, id, ctx));
  const plans = new Set(listPlans(map));
  const ids = o.project ? [o.project] : [...new Set([...map.projects.keys(), ...states.keys(), ...plans])];
  // plan_file: the reviewed plan a close would send from (relative to the map's folder), if any.
  const deadlines = await deadlinesOf(map, ids, states, ctx);
  const rows = ids.map((id) => {
    const state = states.get(id) ?? emptyState(id);
    // cancelled: only for a project called off by `amend --cancel`.
    const cancelled = cancellationOf(state);
    return { ...summarize(map, state), plan_file: plans.has(id) ? path.relative(map.dir, planPath(map, id)).split(path.sep).join('/') : null, deadlines: deadlines.get(id) ?? [], ...(cancelled ? { cancelled } : {}) };
  });
  // Parties that must acknowledge: a closed project's summary state no longer holds its sends, so it is read in full.
  const acks = new Map<string, AckPartyStatus[]>();
  const acking = [...map.parties.values()].some((p) => p.ack?.required);
  for (const r of acking ? rows.filter((x) => x.planned) : []) {
    const full = o.project ? (states.get(r.project) ?? emptyState(r.project)) : warned(await ctx.ports.log.readIndexedState(map, logName(map, ctx), r.project, ctx.env), ctx);
    const parties = ackStatus(map, full).parties;
    if (parties.length > 0) acks.set(r.project, parties);
  }
  if (o.json) {
    ctx.stdout.write(`${JSON.stringify(rows.map((r) => (acks.has(r.project) ? { ...r, acks: acks.get(r.project) } : r)), null, 2)}\n`);
    return EXIT.ok;
  }
  const s = ctx.style;
  if (rows.length === 0 && !ctx.quiet) ctx.stderr.write('no project yet: list some under projects: in the map, run notify plan <id>, or notify close <id>\n');
  for (const r of rows) {
    const mark = r.closed ? s.tick : r.planned ? s.warn('…') : s.dim('·');
    const amending = r.amendment && `amending since ${r.amendment.since.slice(0, 10)} (${amendmentWhat(r.amendment)}: ${r.amendment.reason})`;
    const closed = r.cancelled ? `cancelled ${r.cancelled.at.slice(0, 10)} (${r.cancelled.reason}), closed ${r.closed_at?.slice(0, 10)}` : `closed ${r.closed_at?.slice(0, 10)}`;
    const state = r.closed ? closed : amending ? amending : r.planned ? 'closing' : r.plan_file ? `open, plan in ${r.plan_file}` : 'open';
    ctx.stdout.write(`${mark} ${s.bold(r.project)}${r.title ? ` ${s.dim(r.title)}` : ''}  ${state}\n`);
    const parts = [
      r.notified.length ? `told: ${r.notified.join(', ')}` : '',
      r.pending.length ? `pending: ${r.pending.join(', ')}` : '',
      r.failed.length ? `failed: ${r.failed.join(', ')}` : '',
      r.unknown.length ? `unknown: ${r.unknown.join(', ')}` : '',
      r.skipped.length ? `skipped: ${r.skipped.map((x) => x.party).join(', ')}` : '',
    ].filter(Boolean);
    if (parts.length) ctx.stdout.write(`    ${parts.join('  ')}\n`);
    for (const p of acks.get(r.project) ?? []) ctx.stdout.write(`    ${ackLine(p)}\n`);
    if (r.deadlines.length) ctx.stdout.write(`    deadlines: ${r.deadlines.map((d) => `${d.party} by ${when(d.tell_by)} ${d.met === true ? 'met' : d.met === false ? (d.accepted_reason !== null ? 'missed (accepted)' : 'missed') : 'ahead'}`).join(', ')}\n`);
  }
  return EXIT.ok;
}

function ackLine(p: AckPartyStatus): string {
  const total = p.acknowledged.length + p.waiting.length + p.bounced.length;
  const parts = [`${p.acknowledged.length}/${total} acknowledged`];
  if (p.waiting.length) parts.push(`waiting: ${p.waiting.join(', ')}`);
  if (p.bounced.length) parts.push(`bounced: ${p.bounced.map((b) => b.recipient).join(', ')}`);
  if (p.reminded.length) parts.push(`${p.reminded.length} reminded`);
  if (p.escalated.length) parts.push(`escalated to ${p.escalated.join(', ')}`);
  return `acks ${p.party}: ${parts.join('  ')}`;
}

/** One project's state; an id that the map, the plans and the log do not know is an error. */
async function knownState(map: StakeholderMap, project: string, ctx: Context): Promise<ProjectState> {
  const state = warned(await ctx.ports.log.readState(map, logName(map, ctx), project), ctx);
  await requireKnownProject(map, project, ctx, { inLog: state.firstTs !== undefined });
  return state;
}

async function projectState(map: StakeholderMap, project: string, ctx: Context): Promise<ProjectState> {
  return warned(await ctx.ports.log.readState(map, logName(map, ctx), project), ctx);
}
