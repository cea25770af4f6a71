/** The log's event shapes: one JSON object per line. This file is the log contract. */
import type { NoticeRecord } from './notice.js';

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

/** The notice fields (NoticeRecord) are all optional: a log written before them stays valid. */
export interface ClosePlanned extends EventBase, NoticeRecord {
  event: 'close.planned';
  title?: string;
  actions: string[];
  parties: string[];
  skipped: SkippedParty[];
  summary: string;
  details?: string;
  decided_by?: string;
  /** The deadlines this close was held to (told in time): fixed here, so a later map edit changes no verdict. */
  notice?: NoticeUsed[];
}

/** One party's notice period, as recorded: its period and the deadline it gave. */
export interface NoticeUsed {
  party: string;
  working_days?: number;
  days?: number;
  hours?: number;
  /** ISO 8601 with the calendar's offset: 2027-01-05T18:00:00+01:00. */
  tell_by: string;
}

/** A party told (or to be told) after its deadline, accepted with a reason (`--accept-late`). */
export interface PartyLate extends EventBase {
  event: 'party.late';
  party: string;
  tell_by: string;
  reason: string;
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
  /** What went out, for `preview` of a recorded close: the subject, and the SHA-256 of the message's bytes (hex). */
  subject?: string;
  sha256?: string;
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

/**
 * A closed project amended: parties that were left out told now (`parties`), a correction
 * sent to everyone already told (`correction`, which may move the effective date), or the
 * change called off (`cancel`, sent to everyone told). The project is closed again by a new
 * `project.closed` once the amendment's messages are all sent.
 */
export interface CloseAmended extends EventBase {
  event: 'close.amended';
  kind: 'parties' | 'correction' | 'cancel';
  /** The parties told now; for a correction, the parties of everyone it goes to. */
  parties: string[];
  /** The summary the messages carry: the close's for parties told now, the correction's text for a correction. */
  summary: string;
  details?: string;
  /** Why the close is amended (one line). */
  reason: string;
  decided_by?: string;
  /** A correction that moves the date: the effective date in force from now on (as close.planned writes it). */
  effective?: string;
  /** With `effective`: the deadlines it gives, fixed here as close.planned fixes the first ones. */
  notice?: NoticeUsed[];
}

export interface ProjectClosed extends EventBase {
  event: 'project.closed';
  notified: string[];
  skipped: SkippedParty[];
  recipients: number;
}

/** A delivery status notification (Action: failed) for a message sent: the recipient is no longer told. */
export interface NotificationBounced extends EventBase, Recipient {
  event: 'notification.bounced';
  /** The DSN's Status (e.g. 5.1.1) and Diagnostic-Code. */
  status: string;
  diagnostic: string;
  /** The Message-ID of the bounce report itself: it is recorded once. */
  reply_message_id?: string;
}

/** The recipient confirmed they read the message: by a reply, or told another way (manual). */
export interface AckReceived extends EventBase, Recipient {
  event: 'ack.received';
  via: 'reply' | 'manual';
  reply_message_id?: string;
  /** The reply's first lines, quoted history stripped. */
  excerpt?: string;
  /** Who recorded a manual acknowledgement, and what they said. */
  by?: string;
  note?: string;
}

/** An automatic reply (out of office, auto-responder): not an acknowledgement. */
export interface ReplyAuto extends EventBase, Recipient {
  event: 'reply.auto';
  reply_message_id: string;
  /** What made it automatic, e.g. "Auto-Submitted: auto-replied". */
  reason: string;
  subject?: string;
}

export type AckStep = 'remind' | 'escalate';

/** Written before a reminder or an escalation is sent (the write-ahead line of notify remind). */
export interface AckAttempt extends EventBase, Recipient {
  event: 'ack.attempt';
  step: AckStep;
  /** The party whose acknowledgements are awaited (for an escalation, not the recipient's party). */
  party: string;
}

/** A reminder sent: `message_id` is the reminder's, `in_reply_to` the original notification's. */
export interface AckReminded extends EventBase, Recipient {
  event: 'ack.reminded';
  party: string;
  in_reply_to: string;
  response: string;
}

/** An escalation sent to a person of `escalate_to`, listing who of `party` has not acknowledged. */
export interface AckEscalated extends EventBase, Recipient {
  event: 'ack.escalated';
  party: string;
  waiting: string[];
  response: string;
}

/** A reminder or an escalation that was not sent (failed), or whose outcome is unknown. */
export interface AckFailed extends EventBase, Recipient {
  event: 'ack.failed';
  step: AckStep;
  party: string;
  outcome: 'failed' | 'unknown';
  text: string;
}

export type NotifyEvent =
  | ClosePlanned
  | PartySkipped
  | PartyLate
  | NotificationAttempt
  | NotificationSent
  | NotificationFailed
  | NotificationUnknown
  | NotificationBounced
  | ProjectClosed
  | AckReceived
  | ReplyAuto
  | AckAttempt
  | AckReminded
  | AckEscalated
  | AckFailed
  | CloseAmended;

/** An event before the log writer stamps it with id and ts. */
export type NewEvent = NotifyEvent extends infer E ? (E extends NotifyEvent ? Omit<E, 'id' | 'ts'> : never) : never;
