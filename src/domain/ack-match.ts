/**
 * From a message read in the replies mailbox to what the log records: an acknowledgement, an
 * automatic reply, a bounce, or nothing (it answers no notification of ours). A reply to a
 * reminder counts for the notification it reminded of.
 */
import { addressKey } from './address.js';
import type { AckReceived, NewEvent, NotificationBounced, ReplyAuto } from './events.js';
import { automaticReason, failedRecipients, type InboundMessage } from './inbound.js';
import type { ProjectState } from './state.js';

export interface SentMessage {
  project: string;
  recipient: string;
  parties: string[];
  /** The notification's Message-ID (for a reminder: the one it reminded of). */
  messageId: string;
}

/** Every Message-ID notify sent, notifications and reminders, to the notification it stands for. */
export function sentIndex(states: Iterable<ProjectState>): Map<string, SentMessage> {
  const index = new Map<string, SentMessage>();
  for (const s of states) {
    for (const r of s.recipients.values()) {
      if (r.attempts > 0 || r.status === 'sent' || r.bounced) index.set(r.messageId, { project: s.project, recipient: r.recipient, parties: r.parties, messageId: r.messageId });
    }
    for (const step of s.acks.steps.values()) {
      const original = step.step === 'remind' ? s.recipients.get(addressKey(step.recipient)) : undefined;
      if (original) index.set(step.messageId, { project: s.project, recipient: original.recipient, parties: original.parties, messageId: original.messageId });
    }
  }
  return index;
}

export type Judgement =
  | { kind: 'unmatched' }
  /** Already recorded (the same reply read again): nothing new, but it is ours. */
  | { kind: 'duplicate'; project: string }
  /** A delivery report that is not a failure (delayed, relayed): left alone. */
  | { kind: 'not-failed'; project: string }
  | { kind: 'recorded'; project: string; events: (Omit<AckReceived, 'id' | 'ts'> | Omit<ReplyAuto, 'id' | 'ts'> | Omit<NotificationBounced, 'id' | 'ts'>)[] };

/**
 * `seen`: the Message-IDs of replies and reports already recorded (the log's, plus this run's).
 * `visible`: the reply's text with the quoted history removed, for the excerpt.
 */
export function judge(m: InboundMessage & { messageId: string }, index: Map<string, SentMessage>, seen: Set<string>, excerpt: () => string): Judgement {
  if (m.report) {
    const sent = first([...m.report.originalIds, ...m.thread], index);
    if (!sent) return { kind: 'unmatched' };
    if (seen.has(m.messageId)) return { kind: 'duplicate', project: sent.project };
    // The report must name the person the message was for: a list's member is not the list.
    const failed = failedRecipients(m).filter((r) => addressKey(r.recipient) === addressKey(sent.recipient));
    if (failed.length === 0) return { kind: 'not-failed', project: sent.project };
    const r = failed[0];
    return { kind: 'recorded', project: sent.project, events: [{ event: 'notification.bounced', ...who(sent), status: r.status, diagnostic: r.diagnostic, reply_message_id: m.messageId }] };
  }
  const sent = first(m.thread, index);
  if (!sent) return { kind: 'unmatched' };
  if (seen.has(m.messageId)) return { kind: 'duplicate', project: sent.project };
  const reason = automaticReason(m);
  if (reason) return { kind: 'recorded', project: sent.project, events: [{ event: 'reply.auto', ...who(sent), reply_message_id: m.messageId, reason, subject: m.subject || undefined }] };
  const text = excerpt();
  return { kind: 'recorded', project: sent.project, events: [{ event: 'ack.received', ...who(sent), via: 'reply', reply_message_id: m.messageId, excerpt: text || undefined }] };
}

function first(ids: string[], index: Map<string, SentMessage>): SentMessage | undefined {
  for (const id of ids) {
    const hit = index.get(id);
    if (hit) return hit;
  }
  return undefined;
}

function who(s: SentMessage) {
  return { project: s.project, recipient: s.recipient, parties: s.parties, message_id: s.messageId };
}

export type RecordedEvent = Extract<Judgement, { kind: 'recorded' }>['events'][number];
export type { NewEvent };
