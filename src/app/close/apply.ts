/**
 * Carry out a close plan inside its session: decide again from the log under the lock, record
 * the decisions, send what is left, and record the project closed only when the log on disk
 * shows every party told.
 */
import type { Context } from '../../context.js';
import { addressKey } from '../../domain/address.js';
import { isComplete, openParties, planClose, type ClosePlan } from '../../domain/close-plan.js';
import { executeDeliveries, type EventSink } from '../../domain/execute.js';
import type { NewEvent, NoticeUsed, NotifyEvent } from '../../domain/events.js';
import type { LateGate } from '../due/gate.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { Decisions, Delivery } from '../../domain/deliveries.js';
import type { ProjectState } from '../../domain/state.js';
import { applyEvent } from '../../domain/state.js';
import { EXIT, IncompleteError, InterruptedError, NotifyError, UsageError } from '../../errors.js';
import { fromLog } from './decide.js';
import { composedOnDemand, type RenderedMessage } from './prepare.js';
import { decisionsDiffer, recordedElsewhere, refusedParties } from './recorded.js';
import { printChecklist, progressReporter } from './checklist.js';
import type { CloseSession } from './session.js';
import type { PhaseClock } from './timing.js';
import { noticeRecord } from '../../domain/notice.js';
import { warned } from '../workspace.js';

/** From this many messages, composing moves to a worker thread (it loads in 40 to 200 ms, meanwhile messages are composed inline). */
export const WORKER_FROM = 100;
/** Messages composed ahead of the sends: a few batches of the worker, about 2 KB each. */
const LOOKAHEAD = 128;
export const RETRY_DELAYS_MS = [1_000, 4_000];

export interface ApplyOptions {
  resendUnknown: boolean;
  markSent: string[];
  /** Messages in flight at once (the chosen transport's). */
  concurrency: number;
  shown: string;
  /** Where the time goes, for --verbose. */
  clock?: PhaseClock;
  /** Told in time: the deadlines to record with the decisions, and the late parties accepted. */
  told?: LateGate;
}

/** The log's state, kept in step with every event this run appends. */
export function recordingSink(session: CloseSession, state: ProjectState): EventSink & { append(e: NewEvent): Promise<NotifyEvent> } {
  return {
    append: async (e: NewEvent) => {
      const full = (await session.writer.append(e)) as NotifyEvent;
      applyEvent(state, full);
      return full;
    },
  };
}

export async function applyClosePlan(map: StakeholderMap, first: ClosePlan, messages: RenderedMessage[], session: CloseSession, o: ApplyOptions, ctx: Context): Promise<number> {
  o.clock?.enter('log');
  // Another run may have sent, or decided, while this one was asking: the log under the lock decides.
  const state = warned(await ctx.ports.log.readState(map, o.shown, first.project), ctx);
  const other = first.recorded ? undefined : fromLog(state);
  if (other) {
    const differ = decisionsDiffer(other, first.decisions);
    if (differ.length > 0) throw recordedElsewhere(first.project, state.planned?.ts ?? '', differ, "this run's");
  }
  if (state.closed) {
    ctx.stderr.write(`${ctx.style.tick} ${first.project} was closed by another run; nothing to send.\n`);
    return EXIT.ok;
  }
  const sink = recordingSink(session, state);
  const decisions = first.decisions;
  if (!state.planned) await recordDecisions(sink, decisions, o.told?.notice);
  // A party skipped on a resume (every address refused): recorded before anything is sent.
  else for (const sk of decisions.skipped) if (!state.skipped.some((s) => s.party === sk.party)) await sink.append({ event: 'party.skipped', project: decisions.project, party: sk.party, reason: sk.reason });
  for (const l of o.told?.accepted ?? []) await sink.append({ event: 'party.late', project: first.project, ...l });
  await markSent(o.markSent, decisions.project, first.deliveries, state.recipients, sink);
  const plan = planClose(map, state, decisions, { now: first.date, resendUnknown: o.resendUnknown });
  o.clock?.enter('send');
  await send(map, plan, messages, session, sink, o, ctx);
  o.clock?.enter('log');
  // The log must show every send before the project is closed in it.
  await session.writer.settle();
  const gone = session.writer.lost();
  if (gone) throw logChanged(first.project, gone);
  const final = planClose(map, state, decisions, { now: first.date, resendUnknown: false }).progress;
  const complete = isComplete(final);
  if (complete) await sink.append({ event: 'project.closed', project: first.project, notified: final.notified, skipped: decisions.skipped, recipients: plan.deliveries.length });
  printChecklist(final, complete, ctx);
  if (complete) return EXIT.ok;
  const open = openParties(final).length;
  const refused = plan.deliveries.filter((d) => state.recipients.get(d.key)?.status === 'failed' && state.recipients.get(d.key)?.permanent === true);
  const hint = final.unknown.length > 0
    ? 'an outcome is unknown: check with the recipient, then run again with --resend-unknown (same Message-ID) or --mark-sent RECIPIENT="reason"'
    : refused.length > 0
      ? (await import('./refused-advice.js')).refusedAdvice(map, state.recipients, refused, ctx.cwd, { rerun: `notify close ${first.project}`, skippable: refusedParties(map, decisions, state) })
      : 'run the same command again to retry only what is missing';
  throw new IncompleteError(`${first.project} stays open: ${open} part${open === 1 ? 'y is' : 'ies are'} not notified yet`, hint);
}

/** The sends of a plan (a close's or an amendment's), each recorded write-ahead. */
export async function send(map: StakeholderMap, plan: Pick<ClosePlan, 'project' | 'decisions' | 'toSend' | 'date'>, rendered: RenderedMessage[], session: CloseSession, sink: EventSink, o: ApplyOptions, ctx: Context): Promise<void> {
  const todo = new Set(plan.toSend.map((d) => d.key));
  // Dated as recorded, so a resumed run (or a preview) builds the very same bytes.
  const toSend = rendered.filter((m) => todo.has(m.delivery.key));
  rendered.length = 0; // each rendering is let go once its message is built
  if (toSend.length === 0 || !session.transport) return;
  const ahead = toSend.length >= WORKER_FROM ? LOOKAHEAD : 0;
  const { items, build } = composedOnDemand(map, plan.decisions, toSend, plan.date, ctx.cwd, { using: session.composer, lookahead: ahead });
  const reporter = progressReporter(ctx, items.length);
  const result = await executeDeliveries(items, session.transport, sink, {
    project: plan.project,
    concurrency: o.concurrency,
    retryDelaysMs: map.smtp?.retryDelaysSeconds?.map((s) => s * 1000) ?? RETRY_DELAYS_MS,
    signal: AbortSignal.any([ctx.signal, session.lockLost]),
    onResult: reporter.onResult,
    build,
    fence: session.fence,
  });
  reporter.done();
  if (!result.interrupted) return;
  // Stopped early: by Ctrl-C / SIGTERM, else by the log changed under it, else by the lost lock.
  if (ctx.signal.aborted) throw new InterruptedError(ctx.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  await session.writer.settle();
  const gone = session.writer.lost();
  if (gone) throw logChanged(plan.project, gone);
  throw new NotifyError(
    `${plan.project} stays open: the lock of ${o.shown} was lost while sending (${session.lock.lost() ?? 'no longer refreshed'}); the sends in flight were recorded`,
    EXIT.incomplete,
    'another run may be using the log: see notify status, then run the same command again to send the rest',
  );
}

export function logChanged(project: string, why: string): NotifyError {
  return new NotifyError(`${project} stays open: ${why}; sending stopped`, EXIT.incomplete, 'check it with `notify log --verify`, then run the same command again to send the rest');
}

async function recordDecisions(sink: EventSink, d: Decisions, notice?: NoticeUsed[]): Promise<void> {
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
    ...(notice ? { notice } : {}),
    ...noticeRecord(d),
  });
  for (const sk of d.skipped) await sink.append({ event: 'party.skipped', project: d.project, party: sk.party, reason: sk.reason });
}

/** --mark-sent: a recipient whose outcome is unknown recorded as sent by hand, with the reason. */
export async function markSent(entries: string[], project: string, deliveries: Delivery[], recipients: ProjectState['recipients'], sink: EventSink): Promise<void> {
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const who = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const reason = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!reason) throw new UsageError(`--mark-sent ${who} needs a reason: --mark-sent ${who}="confirmed received by phone"`);
    const r = recipients.get(addressKey(who));
    const delivery = deliveries.find((x) => x.key === addressKey(who));
    if (!delivery || !r || r.status !== 'unknown') throw new UsageError(`--mark-sent ${who}: only a recipient whose outcome is unknown can be marked as sent`);
    await sink.append({ event: 'notification.sent', project, recipient: delivery.to.address, parties: delivery.parties, message_id: delivery.messageId, response: 'marked as sent by hand', via: 'manual', reason });
  }
}
