/** notify close <project>: decide, tell every affected party, log it, and only then close. */
import type { Context } from '../context.js';
import { planClose, type ClosePlan } from '../domain/close-plan.js';
import type { Decisions } from '../domain/deliveries.js';
import type { StakeholderMap } from '../domain/map.js';
import type { ProjectState } from '../domain/state.js';
import type { Transport } from '../domain/transport.js';
import { EXIT, UsageError } from '../errors.js';
import { applyClosePlan, WORKER_FROM } from '../app/close/apply.js';
import { fromLog, checkProjectId } from '../app/close/decide.js';
import { describe, renderMessages, type RenderedMessage } from '../app/close/prepare.js';
import { flagsAgainstRecord, recordedElsewhere } from '../app/close/recorded.js';
import { openSession } from '../app/close/session.js';
import { sendTests, testAddress } from '../app/close/test-send.js';
import type { Address } from '../domain/address.js';
import { decideWithPlan, type CloseDecisions, type PlanFlags } from '../app/plan-files/for-close.js';
import { resolveProject } from '../app/plan-files/project-arg.js';
import { displayPath } from '../config/load.js';
import { warned } from '../app/workspace.js';
import type { ChosenTransport, MapOptions } from '../ports.js';

export interface CloseOptions extends MapOptions, PlanFlags {
  project: string;
  /** Take the project from the release branch's name. */
  fromBranch?: boolean;
  yes: boolean;
  dryRun: boolean;
  resendUnknown: boolean;
  markSent: string[];
  concurrency?: number;
  wait: boolean;
  /** smtp, sendmail or file; default: the map's transport.kind, else smtp. */
  transport?: string;
  /** Send each distinct message to this address only, marked [TEST]; record nothing. */
  testTo?: string;
}

/**
 * The story of a close: read the log, decide (or find the decisions recorded), plan, show the
 * plan and confirm, then apply it inside one session that holds the lock, the log writer and the
 * transport and lets go of them in one place.
 */
export async function runClose(o: CloseOptions, ctx: Context): Promise<number> {
  const project = await resolveProject(o, ctx);
  if (project === undefined) throw new UsageError('which project? give its id, or --from-branch');
  checkProjectId(project);
  const testTo = o.testTo === undefined ? undefined : testAddress(o.testTo, '--test-to');
  if (testTo && o.dryRun) throw new UsageError('--test-to sends to one address and --dry-run sends nothing: choose one');
  const { map, warnings } = await ctx.ports.maps.open(o, ctx.cwd, ctx.env);
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`${w}\n`);
  const shown = displayPath(ctx.cwd, map.log);
  const state = await readState(ctx, map, shown, project);
  if (state.closed) {
    ctx.stderr.write(`${ctx.style.tick} ${project} was closed on ${state.closed.ts}; nothing to send.\n`);
    return EXIT.ok;
  }
  if (testTo) return testClose(project, state, testTo, o, ctx, map);
  // A fresh interactive close will send: say now if there is no way to, before asking a single question.
  const early = state.planned || o.dryRun || !ctx.interactive ? undefined : await ctx.ports.transports.choose(map, ctx.env, ctx.cwd, o);
  const decided = await decideClose(project, state, o, ctx, map);
  const plan = planClose(map, state, decided.decisions, { now: ctx.now(), resendUnknown: o.resendUnknown });
  // Rendered now (every template error before anything is recorded), composed under the lock.
  const messages = renderMessages(map, plan.decisions, plan.toSend, plan.date, ctx.cwd);
  if (o.dryRun) return dryRun(plan, messages, ctx);

  const chosen = messages.length > 0 ? (early ?? (await ctx.ports.transports.choose(map, ctx.env, ctx.cwd, o))) : undefined;
  // Connected and verified while the plan is shown and the lock taken (an SMTP server may take
  // a round trip or a greeting delay to answer); its outcome is awaited before anything is recorded.
  const opening = chosen ? openTransport(chosen) : undefined;
  opening?.catch(() => undefined);
  printPlan(plan.decisions, messages, plan.progress.notified.length, ctx);
  if (!plan.recorded || messages.length > 0) await confirm(o, ctx, messages.length).catch((err) => (abandon(opening), Promise.reject(err)));
  decided.record?.();

  // The lock and the writer use the log's real path: two spellings of one file share one lock.
  const session = await openSession({ logFile: map.log, lockFile: ctx.ports.log.realPath(map.log), shown, wait: o.wait, opening, composer: chosen && messages.length >= WORKER_FROM ? 'worker' : 'inline' }, ctx);
  try {
    return await applyClosePlan(map, plan, messages, session, { resendUnknown: o.resendUnknown, markSent: o.markSent, concurrency: chosen?.concurrency ?? 5, shown }, ctx);
  } finally {
    await session.close();
  }
}

async function readState(ctx: Context, map: StakeholderMap, shown: string, project: string): Promise<ProjectState> {
  return warned(await ctx.ports.log.readState(map, shown, project), ctx);
}

/**
 * The decisions of this close: the ones the log records (a resumed close, refused if this run's
 * flags say otherwise), else from the reviewed plan, else decided now.
 */
async function decideClose(project: string, state: ProjectState, o: CloseOptions, ctx: Context, map: StakeholderMap): Promise<CloseDecisions> {
  const recorded = fromLog(state);
  if (!recorded) return decideWithPlan(map, project, o, ctx);
  const when = state.planned?.ts ?? '';
  const differ = flagsAgainstRecord(recorded, o, ctx.cwd);
  if (differ.length > 0) throw recordedElsewhere(project, when, differ, "this run's");
  if (!ctx.quiet) ctx.stderr.write(`Resuming ${project}: the decisions were recorded on ${when}${o.since !== undefined ? '; --since is not used' : ''}.\n`);
  return { decisions: recorded };
}

/** --test-to: the messages as decided (or as they would be), to one address; nothing recorded. */
async function testClose(project: string, state: ProjectState, to: Address, o: CloseOptions, ctx: Context, map: StakeholderMap): Promise<number> {
  const decisions = fromLog(state) ?? (await decideWithPlan(map, project, o, ctx)).decisions;
  const plan = planClose(map, state, decisions, { now: ctx.now(), resendUnknown: false });
  return sendTests(map, plan.decisions, plan.deliveries, plan.date, to, o, ctx);
}

async function openTransport(chosen: ChosenTransport): Promise<Transport> {
  const transport = await chosen.create();
  try {
    await transport.verify();
    return transport;
  } catch (err) {
    transport.close();
    throw err;
  }
}

/** A transport opened for a close that will not send (declined): closed once it is open. */
function abandon(opening: Promise<Transport> | undefined): void {
  void opening?.then((t) => t.close(), () => undefined);
}

function printPlan(d: Decisions, messages: RenderedMessage[], alreadyNotified: number, ctx: Context): void {
  if (ctx.quiet) return;
  const s = ctx.style;
  ctx.stderr.write(`${s.bold(`Close ${d.project}`)}: ${d.summary}\n`);
  ctx.stderr.write(`  actions: ${d.actions.join(', ') || '(none)'}\n  parties: ${d.parties.join(', ')}\n`);
  for (const sk of d.skipped) ctx.stderr.write(`  skipped: ${sk.party} (${sk.reason})\n`);
  if (alreadyNotified > 0) ctx.stderr.write(`  already notified: ${alreadyNotified} part${alreadyNotified === 1 ? 'y' : 'ies'}\n`);
  const shown = messages.slice(0, 20);
  ctx.stderr.write(`${messages.length} message${messages.length === 1 ? '' : 's'} to send:\n`);
  for (const m of shown) ctx.stderr.write(`  ${describe(m)}\n`);
  if (messages.length > shown.length) ctx.stderr.write(`  … and ${messages.length - shown.length} more\n`);
}

async function confirm(o: CloseOptions, ctx: Context, count: number): Promise<void> {
  if (o.yes || count === 0) return;
  if (!ctx.interactive) throw new UsageError('confirmation needed: run with --yes to send without a terminal (or --dry-run to only look)');
  if (!(await ctx.prompter.confirm(`Send ${count} message${count === 1 ? '' : 's'} now?`, true))) {
    throw new UsageError('not sent: you declined at the confirmation; the decisions are not recorded');
  }
}

function dryRun(plan: ClosePlan, messages: RenderedMessage[], ctx: Context): number {
  const d = plan.decisions;
  const s = ctx.style;
  ctx.stdout.write(`Dry run for ${d.project}: ${messages.length} message${messages.length === 1 ? '' : 's'} would be sent; nothing is sent or recorded.\n`);
  for (const m of messages) {
    ctx.stdout.write(`\n${s.bold(`To: ${m.delivery.to.address}`)}  ${s.dim(`[${m.delivery.parties.join(', ')}] ${m.delivery.messageId}`)}\nSubject: ${m.rendered.subject}\n\n${m.rendered.text}`);
  }
  return EXIT.ok;
}
