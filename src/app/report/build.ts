/**
 * The close-out record of one project, from the log alone (the map only adds names and, for a
 * close still in progress, who is still to be told): who was told, when, at which address,
 * with which Message-ID and server response; who was skipped and why; who decided.
 */
import { cancellationOf, type Cancellation } from '../../domain/in-force.js';
import type { PartyDeadline } from '../due/deadlines.js';
import type { NotifyEvent, SkippedParty } from '../../domain/events.js';
import type { StakeholderMap } from '../../domain/map.js';
import { planDeliveries } from '../../domain/deliveries.js';
import { emptyState, foldProjects, type RecipientState } from '../../domain/state.js';
import { ackStatus, type AckPartyStatus } from '../../domain/ack-status.js';
import { amendmentRows, type ReportAmendment } from './amendments.js';

export type RecipientStatus = 'sent' | 'failed' | 'unknown' | 'pending';
export type PartyStatus = 'told' | 'skipped' | 'failed' | 'unknown' | 'pending';

export interface ReportRecipient {
  address: string;
  parties: string[];
  status: RecipientStatus;
  /** When it was recorded as sent (or, if not sent, when the last outcome was recorded). */
  at?: string;
  message_id?: string;
  response?: string;
  via?: string;
  /** Why it was marked as sent by hand, or what went wrong. */
  note?: string;
  attempts: number;
}

export interface CloseReport {
  project: string;
  title?: string;
  status: 'closed' | 'open';
  /** Decided means close.planned was recorded: who is told is settled. */
  decided: boolean;
  closed_at?: string;
  decided_at?: string;
  decided_by?: string;
  summary?: string;
  details?: string;
  actions: { id: string; description?: string }[];
  parties: { id: string; name: string; status: PartyStatus; reason?: string }[];
  recipients: ReportRecipient[];
  skipped: (SkippedParty & { name: string })[];
  /** Every amendment since the close, in log order. */
  amendments: ReportAmendment<ReportRecipient>[];
  counts: { told: number; skipped: number; not_told: number; recipients_sent: number; recipients_not_sent: number };
  /** Called off by `amend --cancel`: when, and why. */
  cancelled?: Cancellation;
  /** Told in time: each party's deadline and whether it was met (projects with an effective date). */
  deadlines?: PartyDeadline[];
  log: string;
  generated_at: string;
  /** Parties that must acknowledge: who did, who has not, what bounced, reminders and escalations. */
  acks?: AckPartyStatus[];
}

export function buildReport(map: StakeholderMap, project: string, events: NotifyEvent[], meta: { log: string; now: Date }): CloseReport {
  // The same fold as close, check and status: the report only words it differently.
  const state = foldProjects(events.filter((e) => e.project === project)).get(project) ?? emptyState(project);
  const { planned, closed } = state;
  const byKey = new Map<string, ReportRecipient>();
  for (const [key, r] of state.recipients) byKey.set(key, reportRecipient(r));
  const skipped = new Map(state.skipped.map((s) => [s.party, s]));
  const parties = planned?.parties ?? [];
  if (planned && !closed) {
    // Still open: the map says who else is to be told.
    const known = parties.filter((p) => map.parties.has(p));
    const decisions = { project, actions: planned.actions, parties: known, skipped: planned.skipped, summary: planned.summary };
    for (const d of planDeliveries(map, decisions)) {
      if (!byKey.has(d.key)) byKey.set(d.key, { address: d.to.address, parties: d.parties, status: 'pending', message_id: d.messageId, attempts: 0 });
    }
  }
  const recipients = [...byKey.values()];
  const name = (id: string) => map.parties.get(id)?.name ?? id;
  const amendments = amendmentRows(map, state, reportRecipient, (address, parties, message_id): ReportRecipient => ({ address, parties, status: 'pending', message_id, attempts: 0 }));
  // Parties told by an amendment count with the close's: the report says who knows, and how.
  const amended = amendments.filter((a) => a.kind === 'parties');
  const allParties0 = [...parties.filter((p) => !skipped.has(p)), ...amended.flatMap((a) => a.parties).filter((p) => !parties.includes(p) || skipped.has(p))];
  const everyone = [...recipients, ...amended.flatMap((a) => a.recipients)];
  const partyRows = [...new Set(allParties0)].map((id) => ({ id, name: name(id), status: partyStatus(id, everyone, closed?.notified) }));
  const skippedRows = [...skipped.values()].filter((s) => !partyRows.some((p) => p.id === s.party)).map((s) => ({ ...s, name: name(s.party) }));
  const allParties = [...partyRows, ...skippedRows.map((s) => ({ id: s.party, name: s.name, status: 'skipped' as const, reason: s.reason }))];
  const told = partyRows.filter((p) => p.status === 'told').length;
  const sent = recipients.filter((r) => r.status === 'sent').length;
  return {
    project,
    title: planned?.title ?? map.projects.get(project)?.title,
    status: closed ? 'closed' : 'open',
    decided: planned !== undefined,
    closed_at: closed?.ts,
    decided_at: planned?.ts,
    decided_by: planned?.decided_by,
    summary: planned?.summary ?? map.projects.get(project)?.summary,
    details: planned?.details,
    actions: (planned?.actions ?? map.projects.get(project)?.actions ?? []).map((id) => ({ id, description: map.actions.get(id)?.description })),
    parties: allParties,
    recipients,
    skipped: skippedRows,
    amendments,
    ...cancelledOf(state),
    counts: { told, skipped: skippedRows.length, not_told: partyRows.length - told, recipients_sent: sent, recipients_not_sent: recipients.length - sent },
    log: meta.log,
    generated_at: meta.now.toISOString(),
    ...acksOf(map, state),
  };
}

function acksOf(map: StakeholderMap, state: ReturnType<typeof emptyState>): { acks?: AckPartyStatus[] } {
  const parties = ackStatus(map, state).parties;
  return parties.length > 0 ? { acks: parties } : {};
}

function reportRecipient(r: RecipientState): ReportRecipient {
  const note =
    r.status === 'sent' ? r.reason
    : r.status === 'failed' ? `${r.code ?? ''} ${r.text ?? ''}`.trim()
    : r.inFlight ? 'attempted; no outcome was recorded (the run stopped)'
    : r.text;
  return {
    address: r.recipient,
    parties: r.parties,
    status: r.status,
    at: r.ts,
    message_id: r.messageId,
    ...(r.status === 'sent' ? { response: r.response, via: r.via ?? 'smtp' } : {}),
    note,
    attempts: r.attempts,
  };
}

function partyStatus(id: string, recipients: ReportRecipient[], notified?: string[]): PartyStatus {
  if (notified?.includes(id)) return 'told';
  const mine = recipients.filter((r) => r.parties.includes(id));
  if (mine.length > 0 && mine.every((r) => r.status === 'sent')) return 'told';
  if (mine.some((r) => r.status === 'unknown')) return 'unknown';
  if (mine.some((r) => r.status === 'failed')) return 'failed';
  return 'pending';
}

function cancelledOf(state: ReturnType<typeof emptyState>): { cancelled?: Cancellation } {
  const cancelled = cancellationOf(state);
  return cancelled ? { cancelled } : {};
}
