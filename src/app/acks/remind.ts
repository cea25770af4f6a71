/**
 * `notify remind`: send the reminders and escalations that are due, through the same session
 * (lock, log writer, transport) and the same send loop as a close, each with its write-ahead
 * `ack.attempt` line and its result (`ack.reminded`, `ack.escalated` or `ack.failed`).
 */
import type { Context } from '../../context.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { Delivery } from '../../domain/deliveries.js';
import { addressKey } from '../../domain/address.js';
import { executeDeliveries, type EventSink, type Prepared } from '../../domain/execute.js';
import type { NewEvent } from '../../domain/events.js';
import { planReminders, type DueStep } from '../../domain/remind-plan.js';
import { escalationMessage, reminderMessage } from '../../domain/remind-text.js';
import { recordedDecisions } from '../../domain/ack-status.js';
import { envelopeSender, replyTargets } from '../../domain/ack-request.js';
import { dateVar } from '../../domain/vars.js';
import type { Rendered } from '../../domain/render.js';
import type { ProjectState } from '../../domain/state.js';
import { InterruptedError } from '../../errors.js';
import { renderMessages } from '../close/prepare.js';
import { RETRY_DELAYS_MS } from '../close/apply.js';
import type { CloseSession } from '../close/session.js';

export interface StepMessage {
  due: DueStep;
  rendered: Rendered;
}

/** The words of every due step: a reminder quotes the notification as it was sent. */
export function stepMessages(map: StakeholderMap, state: ProjectState, due: DueStep[], cwd: string): StepMessage[] {
  const d = recordedDecisions(map, state);
  if (!d || due.length === 0) return [];
  const originals = due.flatMap((s) => (s.original ? [s.original] : []));
  const sentDate = state.planned ? new Date(state.planned.ts) : new Date();
  const rendered = new Map(renderMessages(map, d, originals, sentDate, cwd).map((m) => [m.delivery.key, m.rendered]));
  return due.map((s) => {
    const on = dateVar(s.sentAt, s.locale);
    if (s.step === 'remind') {
      const o = rendered.get(s.original!.key)!;
      return { due: s, rendered: reminderMessage({ subject: o.subject, text: o.text }, on, s.locale) };
    }
    const party = map.parties.get(s.party)!;
    const facts = { title: d.title ?? map.projects.get(d.project)?.title ?? d.project, summary: d.summary, partyName: party.name, sentOn: on, within: party.ack!.within!, waiting: s.waiting ?? [] };
    return { due: s, rendered: escalationMessage(facts, s.locale) };
  });
}

/** Sends inside the session; returns how many went out. */
export async function sendSteps(map: StakeholderMap, project: string, messages: StepMessage[], session: CloseSession, ctx: Context): Promise<{ sent: number; failed: number; unknown: number }> {
  const byId = new Map(messages.map((m) => [m.due.messageId, m.due]));
  const replyTo = replyTargets(map, project);
  const now = ctx.now();
  const items: Prepared[] = [];
  for (const m of messages) {
    const s = m.due;
    const raw = await session.composer.compose({ from: map.from, to: s.to, replyTo, messageId: s.messageId, date: now, project, parties: s.parties, rendered: m.rendered, inReplyTo: s.original?.messageId });
    const delivery: Delivery = { key: addressKey(s.to.address), to: s.to, parties: s.parties, messageId: s.messageId, locale: s.locale };
    items.push({ delivery, message: { from: envelopeSender(map), to: s.to.address, raw } });
  }
  const result = await executeDeliveries(items, session.transport!, stepSink(session, byId), {
    project,
    concurrency: 1,
    retryDelaysMs: map.smtp?.retryDelaysSeconds?.map((x) => x * 1000) ?? RETRY_DELAYS_MS,
    signal: AbortSignal.any([ctx.signal, session.lockLost]),
    fence: session.fence,
  });
  await session.writer.settle();
  if (result.interrupted && ctx.signal.aborted) throw new InterruptedError(ctx.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  return result;
}

/** The send loop writes notification.* lines; a reminder's are ack.* lines, so they never count as a notification. */
function stepSink(session: CloseSession, byId: Map<string, DueStep>): EventSink {
  return {
    append(e: NewEvent) {
      if (!('message_id' in e)) return session.writer.append(e);
      const s = byId.get(e.message_id)!;
      const who = { project: e.project, recipient: e.recipient, parties: e.parties, message_id: e.message_id };
      const base = { step: s.step, party: s.party };
      switch (e.event) {
        case 'notification.attempt':
          return session.writer.append({ event: 'ack.attempt', ...who, ...base });
        case 'notification.sent':
          return session.writer.append(
            s.step === 'remind'
              ? { event: 'ack.reminded', ...who, party: s.party, in_reply_to: s.original!.messageId, response: e.response }
              : { event: 'ack.escalated', ...who, party: s.party, waiting: s.waiting ?? [], response: e.response },
          );
        case 'notification.failed':
          return session.writer.append({ event: 'ack.failed', ...who, ...base, outcome: 'failed', text: e.text });
        case 'notification.unknown':
          return session.writer.append({ event: 'ack.failed', ...who, ...base, outcome: 'unknown', text: e.text });
        default:
          return session.writer.append(e);
      }
    },
  };
}

export { planReminders };
