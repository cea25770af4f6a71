/** The log's event shapes: one JSON object per line. This file is the log contract. */
import type { NoticeLink } from './notice.js';

export interface EventBase {
  /** Unique per event, so merged logs can be deduplicated. */
  id: string;
  ts: string;
  project: string;
  event: string;
}

export interface SkippedParty {
  party: string;
  reason: string;
}

export interface ClosePlanned extends EventBase {
  event: 'close.planned';
  title?: string;
  actions: string[];
  parties: string[];
  skipped: SkippedParty[];
  summary: string;
  details?: string;
  decided_by?: string;
  /** The notice fields (all optional: a log written before them stays valid). */
  effective?: string;
  timezone?: string;
  audience?: string;
  customers_will_see?: string;
  what_to_say?: string;
  notes?: Record<string, string>;
  links?: NoticeLink[];
}

export interface PartySkipped extends EventBase {
  event: 'party.skipped';
  party: string;
  reason: string;
}

interface Recipient {
  recipient: string;
  parties: string[];
  message_id: string;
}

export interface NotificationAttempt extends EventBase, Recipient {
  event: 'notification.attempt';
}

export interface NotificationSent extends EventBase, Recipient {
  event: 'notification.sent';
  response: string;
  /** How the outcome was established: the SMTP server's reply, or a person's decision. */
  via?: 'smtp' | 'sendmail' | 'file' | 'manual';
  reason?: string;
}

export interface NotificationFailed extends EventBase, Recipient {
  event: 'notification.failed';
  code?: number;
  text: string;
  permanent: boolean;
}

/** The message body reached the server but no final reply was seen: never counted as sent. */
export interface NotificationUnknown extends EventBase, Recipient {
  event: 'notification.unknown';
  text: string;
}

export interface ProjectClosed extends EventBase {
  event: 'project.closed';
  notified: string[];
  skipped: SkippedParty[];
  recipients: number;
}

export type NotifyEvent =
  | ClosePlanned
  | PartySkipped
  | NotificationAttempt
  | NotificationSent
  | NotificationFailed
  | NotificationUnknown
  | ProjectClosed;

/** An event before the log writer stamps it with id and ts. */
export type NewEvent = NotifyEvent extends infer E ? (E extends NotifyEvent ? Omit<E, 'id' | 'ts'> : never) : never;
