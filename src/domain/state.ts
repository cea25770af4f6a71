/** Fold the log into the state of each project: the log is the single source of truth. */
import { addressKey } from './address.js';
import { isKnownKind } from './event-shape.js';
import { applyAckEvent, emptyAckLog, type AckLog } from './ack-log.js';
import type { CloseAmended, ClosePlanned, NotifyEvent, ProjectClosed, SkippedParty } from './events.js';

export type RecipientStatus = 'sent' | 'failed' | 'unknown';

export interface RecipientState {
  recipient: string;
  parties: string[];
  /** The Message-ID first recorded for this recipient: every later send of the message reuses it. */
  messageId: string;
  status: RecipientStatus;
  /** Set while the last attempt has no result line: a crash happened mid-send. */
  inFlight: boolean;
  response?: string;
  code?: number;
  /** False for a 4xx or a connection lost before the body: deferred, a rerun retries it. */
  permanent?: boolean;
  text?: string;
  /** How a recorded send went out (smtp, sendmail, file, manual), and why by hand. */
  via?: string;
  reason?: string;
  /** The bounce report that made a sent message failed again: status and diagnostic. */
  bounced?: { status: string; diagnostic: string; ts: string };
  /** Attempt lines recorded for this recipient. */
  attempts: number;
  ts: string;
}

/** One amendment of a closed project, with the sends recorded while it was open. */
export interface Amendment {
  event: CloseAmended;
  /** 1 for the project's first amendment: part of its messages' Message-IDs. */
  ordinal: number;
  /** The close it amends (the project.closed before it). */
  after?: ProjectClosed;
  /** The sends of this amendment, by address: the close's own are in ProjectState.recipients. */
  recipients: Map<string, RecipientState>;
  /** The project.closed that finished it, once recorded. */
  closed?: ProjectClosed;
}

export interface ProjectState {
  project: string;
  planned?: ClosePlanned;
  /** The last project.closed, unless an amendment was recorded after it (the project is open again). */
  closed?: ProjectClosed;
  skipped: SkippedParty[];
  /** Parties accepted as told late (`party.late`), with the reason. */
  late?: { party: string; tell_by: string; reason: string }[];
  /** The close's sends, by address. */
  recipients: Map<string, RecipientState>;
  /** Acknowledgements, automatic replies, reminders and escalations (ack-log.ts). */
  acks: AckLog;
  /** Every close.amended, in log order. */
  amendments: Amendment[];
  /** The amendment whose messages are not all sent yet: the project is not closed meanwhile. */
  amending?: Amendment;
  firstTs?: string;
  lastTs?: string;
}

export function emptyState(project: string): ProjectState {
  return { project, skipped: [], recipients: new Map(), acks: emptyAckLog(), amendments: [] };
}

/** Apply one event; events of other projects must be filtered out by the caller. A kind this version does not know changes nothing. */
export function applyEvent(state: ProjectState, e: NotifyEvent): void {
  if (!isKnownKind(e.event)) return;
  state.firstTs ??= e.ts;
  state.lastTs = e.ts;
  switch (e.event) {
    case 'close.planned':
      state.planned = e;
      state.skipped = e.skipped.slice();
      break;
    case 'party.skipped':
      if (!state.skipped.some((s) => s.party === e.party)) state.skipped.push({ party: e.party, reason: e.reason });
      break;
    case 'party.late':
      state.late ??= [];
      // One reason per deadline: a moved date gives the party a new one.
      if (!state.late.some((l) => l.party === e.party && l.tell_by === e.tell_by)) state.late.push({ party: e.party, tell_by: e.tell_by, reason: e.reason });
      break;
    case 'project.closed':
      if (state.amending) state.amending.closed = e;
      state.amending = undefined;
      state.closed = e;
      break;
    case 'close.amended': {
      const amendment: Amendment = { event: e, ordinal: state.amendments.length + 1, after: state.closed, recipients: new Map() };
      state.amendments.push(amendment);
      state.amending = amendment;
      state.closed = undefined;
      break;
    }
    case 'notification.attempt':
    case 'notification.sent':
    case 'notification.failed':
    case 'notification.unknown': {
      const key = addressKey(e.recipient);
      // A send recorded while an amendment is open is one of its messages, not the close's.
      const recipients = state.amending?.recipients ?? state.recipients;
      const prev = recipients.get(key);
      // A recorded send is final: nothing after it can make the recipient pending again.
      if (prev?.status === 'sent') return;
      const next: RecipientState = { recipient: e.recipient, parties: e.parties, messageId: prev?.messageId || e.message_id, status: prev?.status ?? 'unknown', inFlight: false, attempts: prev?.attempts ?? 0, ts: e.ts };
      if (e.event === 'notification.attempt') {
        next.status = 'unknown';
        next.inFlight = true;
        next.attempts++;
        next.text = 'the process stopped after the attempt was logged and before its result was';
      } else if (e.event === 'notification.sent') {
        next.status = 'sent';
        next.response = e.response;
        next.via = e.via;
        next.reason = e.reason;
      } else if (e.event === 'notification.failed') {
        next.status = 'failed';
        next.code = e.code;
        next.text = e.text;
        next.permanent = e.permanent;
      } else {
        next.status = 'unknown';
        next.text = e.text;
      }
      recipients.set(key, next);
      break;
    }
    case 'notification.bounced': {
      // The message did not arrive: the person is no longer told and the project is open again,
      // until the message is resent (same Message-ID) or the address changed in the map.
      const key = addressKey(e.recipient);
      const prev = state.recipients.get(key);
      const bounced = { status: e.status, diagnostic: e.diagnostic, ts: e.ts };
      const text = `bounced: ${[e.status, e.diagnostic].filter(Boolean).join(' ')}`;
      state.recipients.set(key, { recipient: e.recipient, parties: prev?.parties ?? e.parties, messageId: prev?.messageId || e.message_id, status: 'failed', inFlight: false, permanent: true, text, bounced, attempts: prev?.attempts ?? 0, ts: e.ts });
      state.closed = undefined;
      applyAckEvent(state.acks, e);
      break;
    }
    default:
      applyAckEvent(state.acks, e);
  }
}

export function foldProjects(events: Iterable<NotifyEvent>): Map<string, ProjectState> {
  const states = new Map<string, ProjectState>();
  for (const e of events) {
    let s = states.get(e.project);
    if (!s) states.set(e.project, (s = emptyState(e.project)));
    applyEvent(s, e);
  }
  return states;
}
