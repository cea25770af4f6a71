/** notify close <project>: decide, tell every affected party, log it, and only then close. */
import { openTransport } from '../app/open-transport.js';
import type { Context, Option } from '../context.js';
import { planClose, type ClosePlan } from '../domain/close-plan.js';
import type { Decisions } from '../domain/deliveries.js';
import type { StakeholderMap } from '../domain/map.js';
import type { ProjectState } from '../domain/state.js';
import type { Transport } from '../domain/transport.js';
import { EXIT, NotifyError, UsageError } from '../errors.js';
import { applyClosePlan, WORKER_FROM } from '../app/close/apply.js';
import { fromLog, checkProjectId } from '../app/close/decide.js';
import { describe, renderMessages, type RenderedMessage } from '../app/close/prepare.js';
import { flagsAgainstRecord, lateSkips, refuseChanges, withLaterSkips } from '../app/close/recorded.js';
import { openSession } from '../app/close/session.js';
import { phaseClock, type PhaseClock } from '../app/close/timing.js';
import { lateGate, type LateGate } from '../app/due/gate.js';
import { sendTests, testAddress } from '../app/close/test-send.js';
import type { Address } from '../domain/address.js';
import { decideWithPlan, type CloseDecisions, type PlanFlags } from '../app/plan-files/for-close.js';
import { resolveProject } from '../app/plan-files/project-arg.js';
import { requireKnownProject } from '../app/known-project.js';
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
  /** Told in time: PARTY=REASON for each party whose deadline has passed (repeatable). */
  acceptLate?: string[];
  /** Send each distinct message to this address only, marked [TEST]; record nothing. */
  testTo?: string;
}

/**
 * The story of a close: read the log, decide (or find the decisions recorded), plan, show the
 * plan and confirm, then apply it inside one session that holds the lock, the log writer and the
 * transport and lets go of them in one place.
 */
export async function runClose(o: CloseOptions, ctx: Context): Promise<number> {
  const clock = phaseClock(ctx);
  try {
    return await closeProject(o, ctx, clock);
  } finally {
    clock.report();
  }
}

async function closeProject(o: CloseOptions, ctx: Context, clock: PhaseClock): Promise<number> {
  clock.enter('map');
  const project = await resolveProject(o, ctx);
  if (project === undefined) throw new UsageError('which project? give its id, or --from-branch');
  checkProjectId(project);
  const testTo = o.testTo === undefined ? undefined : testAddress(o.testTo, '--test-to');
  if (testTo && o.dryRun) throw new UsageError('--test-to sends to one address and --dry-run sends nothing: choose one');
  const { map, warnings } = await ctx.ports.maps.open(o, ctx.cwd, ctx.env);
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`${w}\n`);
  const shown = displayPath(ctx.cwd, map.log);
  const state = await readState(ctx, map, shown, project);
  await requireKnownProject(map, project, ctx, { inLog: state.firstTs !== undefined, adHoc: { command: 'close', title: o.title }, fromBranch: o.fromBranch });
  if (state.closed || state.amending) {
    // Flags that would change what was recorded are refused, not ignored (decideClose).
    await decideClose(project, state, o, ctx, map);
    if (state.amending) {
      if (!ctx.quiet) ctx.stderr.write(`${project} has an amendment in progress (recorded on ${state.amending.event.ts}): sending the rest of it.\n`);
      const { amendProject } = await import('../app/amend/flow.js');
      return amendProject(map, state, shown, { ...o, parties: [], correction: undefined, effective: undefined, detailsFile: undefined, reason: undefined }, ctx);
    }
    ctx.stderr.write(`${ctx.style.tick} ${project} was closed on ${state.closed!.ts}; nothing to send.\n`);
    return EXIT.ok;
  }
  if (testTo) return testClose(project, state, testTo, o, ctx, map);
  // A fresh interactive close will send: say now if there is no way to, before asking a single question.
  const early = state.planned || o.dryRun || !ctx.interactive ? undefined : await ctx.ports.transports.choose(map, ctx.env, ctx.cwd, o);
  clock.enter('decisions');
  const confirmed = await decideAndConfirm(project, state, o, ctx, map, early, clock);
  if (typeof confirmed === 'number') return confirmed;
  const { decided, plan, messages, chosen, opening, told } = confirmed;
  decided.record?.();

  // The lock and the writer use the log's real path: two spellings of one file share one lock.
  clock.enter('lock');
  const session = await openSession({ logFile: map.log, lockFile: ctx.ports.log.realPath(map.log), shown, wait: o.wait, opening, composer: chosen && messages.length >= WORKER_FROM ? 'worker' : 'inline' }, ctx);
  try {
    return await applyClosePlan(map, plan, messages, session, { resendUnknown: o.resendUnknown, markSent: o.markSent, concurrency: chosen?.concurrency ?? 5, shown, clock, told }, ctx);
  } finally {
    await session.close();
  }
}

interface Confirmed {
  decided: CloseDecisions;
  plan: ClosePlan;
  messages: RenderedMessage[];
  told?: LateGate;
  chosen?: ChosenTransport;
  opening?: Promise<Transport>;
}

/**
 * Decide, show the plan, and ask: send, edit (back to the questions, every answer kept) or
 * cancel (the answers kept as a draft plan). A number is the exit code of a dry run.
 */
async function decideAndConfirm(project: string, state: ProjectState, o: CloseOptions, ctx: Context, map: StakeholderMap, early: ChosenTransport | undefined, clock: PhaseClock): Promise<Confirmed | number> {
  let decided = await decideClose(project, state, o, ctx, map);
  let chosen: ChosenTransport | undefined;
  let opening: Promise<Transport> | undefined;
  try {
    for (;;) {
      const plan = planClose(map, state, decided.decisions, { now: ctx.now(), resendUnknown: o.resendUnknown });
      // Rendered now (every template error before anything is recorded), composed under the lock.
      clock.enter('render');
      const messages = renderMessages(map, plan.decisions, plan.toSend, plan.date, ctx.cwd);
      if (o.dryRun) return dryRun(plan, messages, ctx);
      // Told in time: a passed deadline needs a reason before anything is sent or recorded.
      const told = await lateGate(map, state, plan.decisions, o.acceptLate ?? [], ctx);
      if (messages.length > 0 && !chosen) {
        chosen = early ?? (await ctx.ports.transports.choose(map, ctx.env, ctx.cwd, o));
        // Connected and verified while the plan is shown and the lock taken (an SMTP server may take
        // a round trip or a greeting delay to answer); its outcome is awaited before anything is recorded.
        opening = clock.alongside('verify', openTransport(chosen));
        opening.catch(() => undefined);
      }
      clock.enter('confirm');
      printPlan(plan.decisions, messages, alreadyTold(plan, state), ctx);
      const answer = !plan.recorded || messages.length > 0 ? await confirm(o, ctx, messages.length, Boolean(decided.answers)) : 'send';
      if (answer === 'send') return { decided, plan, messages, chosen, opening, told };
      if (answer === 'cancel') throw cancelled(project, decided, state, ctx);
      // Until the new answers are complete, the last complete ones are what an interrupt keeps.
      clock.enter('decisions');
      decided = await decided.answers!.edit();
    }
  } catch (err) {
    // Whatever stops the close before the send lets go of the transport and keeps the answers.
    abandon(opening);
    throw keptOnStop(err, decided.answers, project, ctx);
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
  const logged = fromLog(state);
  if (!logged) return decideWithPlan(map, project, o, ctx);
  const done = state.closed !== undefined || state.amending !== undefined;
  // Closed: the parties told since by an amendment count as recorded too.
  const told = (state.closed ?? state.amending?.after)?.notified ?? [];
  const recorded = withLaterSkips(done ? { ...logged, parties: [...new Set([...logged.parties, ...told])] } : logged, state);
  const when = state.planned?.ts ?? '';
  // The one change a resume accepts: skipping a party whose every address was refused (5xx).
  const late = done ? { skips: [], rest: o } : lateSkips(map, recorded, state, o);
  const differ = flagsAgainstRecord(recorded, late.rest, ctx.cwd);
  if (differ.length > 0) throw refuseChanges(map, state, recorded, differ, late.rest);
  if (done) return { decisions: recorded };
  if (!ctx.quiet) ctx.stderr.write(`Resuming ${project}: the decisions were recorded on ${when}${o.since !== undefined ? '; --since is not used' : ''}.\n`);
  if (late.skips.length === 0) return { decisions: recorded };
  if (!ctx.quiet) for (const sk of late.skips) ctx.stderr.write(`Skipping ${sk.party}: every address of it was refused; recorded with the reason "${sk.reason}".\n`);
  const skipped = new Set(late.skips.map((sk) => sk.party));
  return { decisions: { ...recorded, parties: recorded.parties.filter((p) => !skipped.has(p)), skipped: [...recorded.skipped, ...late.skips] } };
}

/** --test-to: the messages as decided (or as they would be), to one address; nothing recorded. */
async function testClose(project: string, state: ProjectState, to: Address, o: CloseOptions, ctx: Context, map: StakeholderMap): Promise<number> {
  const decisions = fromLog(state) ?? (await decideWithPlan(map, project, o, ctx)).decisions;
  const plan = planClose(map, state, decisions, { now: ctx.now(), resendUnknown: false });
  return sendTests(map, plan.decisions, plan.deliveries, plan.date, to, o, ctx);
}


/** A transport opened for a close that will not send (declined): closed once it is open. */
function abandon(opening: Promise<Transport> | undefined): void {
  void opening?.then((t) => t.close(), () => undefined);
}

/** Parties fully notified, and people sent their message, by earlier runs of this close. */
function alreadyTold(plan: ClosePlan, state: ProjectState): { parties: number; people: number } {
  return { parties: plan.progress.notified.length, people: plan.deliveries.filter((d) => state.recipients.get(d.key)?.status === 'sent').length };
}

function printPlan(d: Decisions, messages: RenderedMessage[], told: { parties: number; people: number }, ctx: Context): void {
  if (ctx.quiet) return;
  const s = ctx.style;
  ctx.stderr.write(`${s.bold(`Close ${d.project}`)}: ${d.summary}\n`);
  ctx.stderr.write(`  actions: ${d.actions.join(', ') || '(none)'}\n  parties: ${d.parties.join(', ')}\n`);
  for (const sk of d.skipped) ctx.stderr.write(`  skipped: ${sk.party} (${sk.reason})\n`);
  if (told.parties > 0 || told.people > 0) ctx.stderr.write(`  already notified: ${told.parties} part${told.parties === 1 ? 'y' : 'ies'} (${told.people} ${told.people === 1 ? 'person' : 'people'})\n`);
  const shown = messages.slice(0, 20);
  ctx.stderr.write(`${messages.length} message${messages.length === 1 ? '' : 's'} to send:\n`);
  for (const m of shown) ctx.stderr.write(`  ${describe(m)}\n`);
  if (messages.length > shown.length) ctx.stderr.write(`  … and ${messages.length - shown.length} more\n`);
}

type Answer = 'send' | 'edit' | 'cancel';

/** Cancel comes highlighted: a send cannot be taken back, so Enter alone never sends. */
async function confirm(o: CloseOptions, ctx: Context, count: number, editable: boolean): Promise<Answer> {
  if (o.yes || count === 0) return 'send';
  if (!ctx.interactive) throw new UsageError('confirmation needed: run with --yes to send without a terminal (or --dry-run to only look)');
  const n = `${count} message${count === 1 ? '' : 's'}`;
  const options: Option<Answer>[] = [{ value: 'send', name: `Send ${n}`, description: 'sent messages cannot be called back' }];
  if (editable) options.push({ value: 'edit', name: 'Edit the answers', description: 'back to the questions, with every answer kept' });
  options.push({ value: 'cancel', name: 'Cancel', description: editable ? 'send nothing; your answers are kept as a draft plan' : 'send nothing' });
  // Ctrl-C or SIGTERM at this question ends it (the answers are kept), not the process at once.
  const release = ctx.holdSignals('keeping your answers');
  try {
    return await ctx.prompter.select(`Send ${n} now?`, options, 'cancel');
  } finally {
    release();
  }
}

/** The error a cancelled close ends with, once the answers given on the terminal are kept. */
function cancelled(project: string, decided: CloseDecisions, state: ProjectState, ctx: Context): UsageError {
  if (!decided.answers) {
    const stands = state.planned ? `the decisions recorded on ${state.planned.ts} stand; run again to send` : 'the plan is unchanged';
    return new UsageError(`not sent: cancelled at the confirmation; ${stands}`);
  }
  const kept = decided.answers.keepDraft();
  const where = displayPath(ctx.cwd, kept.file);
  if (kept.reviewed) {
    return new UsageError(
      `not sent: cancelled at the confirmation; your answers are saved as a draft in ${where}, beside the reviewed plan ${displayPath(ctx.cwd, kept.reviewed)}, which was left as it is`,
      `"notify close ${project}" sends the reviewed plan; to start from your answers instead, replace it with the draft`,
    );
  }
  return new UsageError(`not sent: cancelled at the confirmation; your answers are saved as a draft plan in ${where}`, `"notify close ${project}" will start from it`);
}

/**
 * An interrupt before the send (Ctrl-C at a question, SIGINT or SIGTERM while the confirmation is
 * asked, the terminal gone): the answers given so far, once complete, are kept as a draft plan.
 */
function keptOnStop(err: unknown, answers: CloseDecisions['answers'], project: string, ctx: Context): unknown {
  const aborted = err instanceof Error && err.name === 'AbortPromptError';
  const interrupt = aborted || (err instanceof Error && err.name === 'ExitPromptError') || (err instanceof NotifyError && err.exitCode === EXIT.interrupted);
  if (!interrupt || !answers) return err;
  try {
    const kept = answers.keepDraft();
    const where = displayPath(ctx.cwd, kept.file);
    ctx.stderr.write(`Not sent. Your answers are saved as a draft plan in ${where}${kept.reviewed ? ` (the reviewed plan ${displayPath(ctx.cwd, kept.reviewed)} was left as it is)` : `; "notify close ${project}" will start from it`}.\n`);
  } catch (failed) {
    ctx.stderr.write(`notify: ${(failed as Error).message}\n`);
  }
  if (!aborted) return err;
  const signal = ctx.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
  return new NotifyError(`interrupted by ${signal}; nothing was sent or recorded`, signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
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
