/**
 * What the log says about acknowledgements: who confirmed reading, who replied automatically,
 * which reminders and escalations went out, and which replies were read already. Part of a
 * project's state (state.ts folds these events here); kept apart from the recipients so that a
 * closed project's summary can forget its sends and still show its acknowledgements.
 */
import { addressKey } from './address.js';
import type { AckStep, NotifyEvent } from './events.js';

export interface AckInfo {
  recipient: string;
  ts: string;
  via: 'reply' | 'manual';
  excerpt?: string;
  by?: string;
  note?: string;
}

export type StepStatus = 'sent' | 'failed' | 'unknown';

export interface StepRecord {
  step: AckStep;
  party: string;
  recipient: string;
  messageId: string;
  status: StepStatus;
  ts: string;
  /** Set while the attempt line has no result: the process stopped mid-send. */
  inFlight: boolean;
}

export interface AckLog {
  /** By recipient key: the first acknowledgement counts. */
  received: Map<string, AckInfo>;
  /** Automatic replies, by recipient key. */
  auto: Map<string, number>;
  /** Message-IDs of replies and bounce reports already recorded: each is recorded once. */
  seen: Set<string>;
  /** Reminders and escalations, by stepKey(). */
  steps: Map<string, StepRecord>;
}

export function emptyAckLog(): AckLog {
  return { received: new Map(), auto: new Map(), seen: new Set(), steps: new Map() };
}

/** One reminder per recipient; one escalation per party and person told. */
export function stepKey(step: AckStep, party: string, recipient: string): string {
  return `${step}\0${party}\0${addressKey(recipient)}`;
}

/** Folds the ack events; any other event changes nothing here. */
export function applyAckEvent(acks: AckLog, e: NotifyEvent): void {
  switch (e.event) {
    case 'ack.received': {
      if (e.reply_message_id) acks.seen.add(e.reply_message_id);
      const key = addressKey(e.recipient);
      if (!acks.received.has(key)) acks.received.set(key, { recipient: e.recipient, ts: e.ts, via: e.via, excerpt: e.excerpt, by: e.by, note: e.note });
      break;
    }
    case 'reply.auto': {
      acks.seen.add(e.reply_message_id);
      const key = addressKey(e.recipient);
      acks.auto.set(key, (acks.auto.get(key) ?? 0) + 1);
      break;
    }
    case 'notification.bounced':
      if (e.reply_message_id) acks.seen.add(e.reply_message_id);
      break;
    case 'ack.attempt':
    case 'ack.reminded':
    case 'ack.escalated':
    case 'ack.failed': {
      const step = e.event === 'ack.attempt' || e.event === 'ack.failed' ? e.step : e.event === 'ack.reminded' ? 'remind' : 'escalate';
      const key = stepKey(step, e.party, e.recipient);
      // A step sent is final: a rerun never sends it again.
      if (acks.steps.get(key)?.status === 'sent') break;
      const status: StepStatus = e.event === 'ack.attempt' ? 'unknown' : e.event === 'ack.failed' ? e.outcome : 'sent';
      acks.steps.set(key, { step, party: e.party, recipient: e.recipient, messageId: e.message_id, status, ts: e.ts, inFlight: e.event === 'ack.attempt' });
      break;
    }
  }
}
