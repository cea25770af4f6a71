/** notify close <project>: decide, tell every affected party, log it, and only then close. */
import type { Context } from '../context.js';
import { addressKey } from '../core/address.js';
import { executeDeliveries, type EventSink } from '../core/execute.js';
import type { NewEvent } from '../core/events.js';
import type { Transport } from '../core/transport.js';
import { planDeliveries, type Decisions } from '../core/plan.js';
import { progressOf } from '../core/progress.js';
import { applyEvent, type ProjectState } from '../core/state.js';
import { EXIT, IncompleteError, InterruptedError, NotifyError, UsageError } from '../errors.js';
import { fromLog, checkProjectId } from '../close/decide.js';
import { decideWithPlan, type PlanFlags } from '../plan/for-close.js';
import { resolveProject } from '../plan/project-arg.js';
import { composedOnDemand, describe, renderMessages, type RenderedMessage } from '../close/prepare.js';
import { printChecklist, progressReporter } from '../close/report.js';
import { inlineComposer, workerComposer, type Composer } from '../io/compose-pool.js';
import { acquireLock } from '../io/lock.js';
import { realPathOf } from '../io/real-path.js';
import { decisionsDiffer, flagsAgainstRecord, recordedElsewhere } from '../close/recorded.js';
import { LogWriter } from '../io/log.js';
import { chooseTransport, type ChosenTransport } from '../io/transports.js';
import { createStyle } from '../io/style.js';
import { logName, openMap, type MapOptions } from '../io/workspace.js';
import { readState } from '../io/project-states.js';

/** From this many messages, composing moves to a worker thread (it loads in 40 to 200 ms, meanwhile messages are composed inline). */
const WORKER_FROM = 100;
/** Messages composed ahead of the sends: a few batches of the worker, about 2 KB each. */
const LOOKAHEAD = 128;

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
}

export const RETRY_DELAYS_MS = [1_000, 4_000];

export async function runClose(o: CloseOptions, ctx: Context): Promise<number> {
  o = { ...o, project: (await resolveProject(o, ctx))! };
  checkProjectId(o.project);
  const map = openMap(o, ctx);
  const s = createStyle(ctx.color);
  let state = await readState(map, ctx, o.project);
  if (state.closed) {
    ctx.stderr.write(`${s.tick} ${o.project} was closed on ${state.closed.ts}; nothing to send.\n`);
    return 0;
  }
  const recorded = fromLog(state);
  if (recorded) {
    const differ = flagsAgainstRecord(recorded, o, ctx.cwd);
    if (differ.length > 0) throw recordedElsewhere(o.project, state.planned!.ts, differ, "this run's");
    if (!ctx.quiet) ctx.stderr.write(`Resuming ${o.project}: the decisions were recorded on ${state.planned!.ts}${o.since !== undefined ? '; --since is not used' : ''}.\n`);
  }
  // Not in the log yet: from the reviewed plan if there is one, else decided now.
  // A fresh interactive close will send: say now if there is no way to, before asking a single question.
  const early = recorded || o.dryRun || !ctx.interactive ? undefined : chooseTransport(map, ctx.env, ctx.cwd, o);
  const fresh = recorded ? undefined : await decideWithPlan(map, o.project, o, ctx);
  const decisions = recorded ?? fresh!.decisions;
  const deliveries = planDeliveries(map, decisions, state);
  const date = state.planned ? new Date(state.planned.ts) : ctx.now();
  const progress = progressOf(decisions, deliveries, state);
  const keysToSend = new Set(progress.toSend.map((d) => d.key));
  if (o.resendUnknown) for (const d of progress.unknownDeliveries) keysToSend.add(d.key);
  // Rendered now (every template error before anything is recorded), composed under the lock.
  let messages = renderMessages(map, decisions, deliveries.filter((d) => keysToSend.has(d.key)), date, ctx.cwd);

  if (o.dryRun) return dryRun(decisions, messages, ctx);

  const chosen = messages.length > 0 ? (early ?? chooseTransport(map, ctx.env, ctx.cwd, o)) : undefined;
  // Connected and verified while the plan is shown and the lock taken (an SMTP server may take
  // a round trip or a greeting delay to answer); its outcome is awaited before anything is recorded.
  const opening = chosen ? openTransport(chosen) : undefined;
  opening?.catch(() => undefined);
  const abandon = () => void opening?.then((t) => t.close(), () => undefined);
  printPlan(decisions, messages, progress.notified.length, ctx);
  if (!recorded || messages.length > 0) await confirm(o, ctx, messages.length).catch((err) => (abandon(), Promise.reject(err)));
  fresh?.record?.();

  const release = ctx.holdSignals();
  // The lock and the writer use the log's real path: two spellings of one file share one lock.
  const logPath = realPathOf(map.log);
  // A lock that is lost (its file removed or taken over) may now be another run's: no new send
  // starts (each send checks first), the ones in flight finish and are recorded, the close stops.
  const lockLost = new AbortController();
  const lock = await acquireLock(logPath, logName(map, ctx), {
    wait: o.wait,
    onLost: (why) => {
      ctx.stderr.write(`notify: the lock of ${logName(map, ctx)} was lost (${why}); finishing the sends in flight, then stopping\n`);
      lockLost.abort();
    },
    notice: (m) => ctx.stderr.write(`notify: ${m}\n`),
    signal: ctx.signal,
  }).catch((err) => {
    abandon();
    release();
    throw err;
  });
  let writer: LogWriter | undefined;
  let transport: Transport | undefined;
  let composing: Composer | undefined;
  try {
    writer = LogWriter.open(logPath, ctx.now, (w) => ctx.stderr.write(`notify: warning: ${w}\n`), logName(map, ctx));
    // Started now, the worker loads while the server is verified and the decisions recorded.
    if (chosen && messages.length >= WORKER_FROM) composing = workerComposer();
    // Authentication and connection problems show up here, before anything is recorded or sent.
    transport = await opening;
  } catch (err) {
    // A log that cannot be opened, a server that cannot be used: let go of the lock first.
    composing?.close();
    writer?.close();
    await lock.release();
    release();
    throw err;
  }
  try {
    // Another run may have sent while we were asking: decide again from the log, under the lock.
    state = await readState(map, ctx, o.project);
    // Another run recorded its decisions while this one was deciding: its record is what is sent.
    const other = recorded ? undefined : fromLog(state);
    if (other) {
      const differ = decisionsDiffer(other, decisions);
      if (differ.length > 0) throw recordedElsewhere(o.project, state.planned!.ts, differ, "this run's");
    }
    if (state.closed) {
      ctx.stderr.write(`${s.tick} ${o.project} was closed by another run; nothing to send.\n`);
      return 0;
    }
    const fence = () => lock.lost() ?? writer!.lost();
    const sink: EventSink & { append(e: NewEvent): Promise<unknown> } = {
      append: async (e: NewEvent) => {
        const full = await writer.append(e);
        applyEvent(state, full as any);
        return full;
      },
    };
    if (!state.planned) await recordDecisions(sink, decisions);
    await markSent(o, decisions, deliveries, state, sink);
    const current = progressOf(decisions, deliveries, state);
    const todo = new Set(current.toSend.map((d) => d.key));
    if (o.resendUnknown) for (const d of current.unknownDeliveries) todo.add(d.key);
    // Dated as recorded, so a resumed run (or a preview) builds the very same bytes.
    const toSend = messages.filter((m) => todo.has(m.delivery.key));
    messages = []; // each rendering is let go once its message is built
    const using = composing && toSend.length >= WORKER_FROM ? composing : inlineComposer;
    const { items: pending, build } = composedOnDemand(map, decisions, toSend, new Date(state.planned!.ts), ctx.cwd, { using, lookahead: using === inlineComposer ? 0 : LOOKAHEAD });
    if (pending.length > 0 && transport) {
      const reporter = progressReporter(ctx, pending.length);
      const result = await executeDeliveries(pending, transport, sink, {
        project: o.project,
        concurrency: chosen?.concurrency ?? 5,
        retryDelaysMs: map.smtp?.retryDelaysSeconds?.map((s) => s * 1000) ?? RETRY_DELAYS_MS,
        signal: AbortSignal.any([ctx.signal, lockLost.signal]),
        onResult: reporter.onResult,
        build,
        fence,
      });
      reporter.done();
      // Stopped early by Ctrl-C / SIGTERM, or else by the lost lock.
      if (result.interrupted && ctx.signal.aborted) throw new InterruptedError(ctx.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
      await writer.settle();
      const gone = writer.lost();
      if (result.interrupted && gone) throw logChanged(o.project, gone);
      if (result.interrupted) throw new NotifyError(`${o.project} stays open: the lock of ${logName(map, ctx)} was lost while sending (${lock.lost() ?? 'no longer refreshed'}); the sends in flight were recorded`, EXIT.incomplete, 'another run may be using the log: see notify status, then run the same command again to send the rest');
    }
    // The log must show every send before the project is closed in it.
    await writer.settle();
    const gone = writer.lost();
    if (gone) throw logChanged(o.project, gone);
    const final = progressOf(decisions, deliveries, state);
    const complete = final.pending.length === 0 && final.failed.length === 0 && final.unknown.length === 0;
    if (complete) {
      await sink.append({ event: 'project.closed', project: o.project, notified: final.notified, skipped: decisions.skipped, recipients: deliveries.length });
    }
    printChecklist(final, complete, ctx);
    if (!complete) {
      const hint = final.unknown.length > 0
        ? 'an outcome is unknown: check with the recipient, then run again with --resend-unknown (same Message-ID) or --mark-sent RECIPIENT="reason"'
        : 'run the same command again to retry only what is missing';
      throw new IncompleteError(`${o.project} stays open: ${[...final.failed, ...final.unknown, ...final.pending].length} part${final.failed.length + final.unknown.length + final.pending.length === 1 ? 'y is' : 'ies are'} not notified yet`, hint);
    }
    return 0;
  } finally {
    composing?.close();
    transport?.close();
    writer.close();
    await lock.release();
    release();
  }
}

function logChanged(project: string, why: string): NotifyError {
  return new NotifyError(`${project} stays open: ${why}; sending stopped`, EXIT.incomplete, 'check it with `notify log --verify`, then run the same command again to send the rest');
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

async function recordDecisions(sink: EventSink, d: Decisions): Promise<void> {
  await sink.append({
    event: 'close.planned',
    project: d.project,
    title: d.title,
    actions: d.actions,
    parties: d.parties,
    skipped: d.skipped,
    summary: d.summary,
    details: d.details,
    decided_by: d.decidedBy,
  });
  for (const sk of d.skipped) await sink.append({ event: 'party.skipped', project: d.project, party: sk.party, reason: sk.reason });
}

async function markSent(o: CloseOptions, d: Decisions, deliveries: ReturnType<typeof planDeliveries>, state: ProjectState, sink: EventSink): Promise<void> {
  for (const entry of o.markSent) {
    const eq = entry.indexOf('=');
    const who = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const reason = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!reason) throw new UsageError(`--mark-sent ${who} needs a reason: --mark-sent ${who}="confirmed received by phone"`);
    const r = state.recipients.get(addressKey(who));
    const delivery = deliveries.find((x) => x.key === addressKey(who));
    if (!delivery || !r || r.status !== 'unknown') throw new UsageError(`--mark-sent ${who}: only a recipient whose outcome is unknown can be marked as sent`);
    await sink.append({ event: 'notification.sent', project: d.project, recipient: delivery.to.address, parties: delivery.parties, message_id: delivery.messageId, response: 'marked as sent by hand', via: 'manual', reason });
  }
}

function printPlan(d: Decisions, messages: RenderedMessage[], alreadyNotified: number, ctx: Context): void {
  if (ctx.quiet) return;
  const s = createStyle(ctx.color);
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

function dryRun(d: Decisions, messages: RenderedMessage[], ctx: Context): number {
  const s = createStyle(ctx.color);
  ctx.stdout.write(`Dry run for ${d.project}: ${messages.length} message${messages.length === 1 ? '' : 's'} would be sent; nothing is sent or recorded.\n`);
  for (const m of messages) {
    ctx.stdout.write(`\n${s.bold(`To: ${m.delivery.to.address}`)}  ${s.dim(`[${m.delivery.parties.join(', ')}] ${m.delivery.messageId}`)}\nSubject: ${m.rendered.subject}\n\n${m.rendered.text}`);
  }
  return 0;
}
