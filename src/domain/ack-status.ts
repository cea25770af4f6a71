/**
 * Where the acknowledgements of a project stand: for each party that must acknowledge, who did,
 * who has not yet, whose message bounced; and the reminders and escalations sent. `check --acks`,
 * `status`, `report`, `acks` and `remind` all read it.
 */
import { planDeliveries, type Decisions, type Delivery } from './deliveries.js';
import type { StakeholderMap } from './map.js';
import type { ProjectState } from './state.js';

export interface AckedRecipient {
  recipient: string;
  via: 'reply' | 'manual';
  ts: string;
  excerpt?: string;
  by?: string;
  note?: string;
}

export interface AckPartyStatus {
  party: string;
  acknowledged: AckedRecipient[];
  /** Not acknowledged yet (sent or still to send), bounced ones excluded. */
  waiting: string[];
  bounced: { recipient: string; status: string; diagnostic: string }[];
  /** Automatic replies received (out of office): not acknowledgements. */
  autoReplies: string[];
  reminded: string[];
  escalated: string[];
}

export interface AckStatus {
  parties: AckPartyStatus[];
  acknowledged: string[];
  waiting: string[];
  bounced: string[];
}

/** The decisions recorded in the log, with the parties the map no longer has left out. */
export function recordedDecisions(map: StakeholderMap, state: ProjectState): Decisions | undefined {
  const p = state.planned;
  if (!p) return undefined;
  return { project: state.project, title: p.title, actions: p.actions, parties: p.parties.filter((x) => map.parties.has(x)), skipped: p.skipped, summary: p.summary, details: p.details };
}

export function mustAcknowledge(map: StakeholderMap, party: string): boolean {
  return map.parties.get(party)?.ack?.required === true;
}

/** The deliveries of parties that must acknowledge (a skipped party is not among them). */
export function ackDeliveries(map: StakeholderMap, state: ProjectState, d = recordedDecisions(map, state)): Delivery[] {
  if (!d) return [];
  return planDeliveries(map, d, state).filter((x) => x.parties.some((p) => mustAcknowledge(map, p)));
}

export function ackStatus(map: StakeholderMap, state: ProjectState, d = recordedDecisions(map, state)): AckStatus {
  const deliveries = d ? planDeliveries(map, d, state) : [];
  const parties: AckPartyStatus[] = [];
  for (const party of d?.parties ?? []) {
    if (!mustAcknowledge(map, party)) continue;
    const row: AckPartyStatus = { party, acknowledged: [], waiting: [], bounced: [], autoReplies: [], reminded: [], escalated: [] };
    for (const x of deliveries) {
      if (!x.parties.includes(party)) continue;
      const r = state.recipients.get(x.key);
      const ack = state.acks.received.get(x.key);
      if (ack) row.acknowledged.push({ recipient: x.to.address, via: ack.via, ts: ack.ts, excerpt: ack.excerpt, by: ack.by, note: ack.note });
      else if (r?.bounced && r.status === 'failed') row.bounced.push({ recipient: x.to.address, status: r.bounced.status, diagnostic: r.bounced.diagnostic });
      else row.waiting.push(x.to.address);
      if (state.acks.auto.has(x.key)) row.autoReplies.push(x.to.address);
    }
    for (const s of state.acks.steps.values()) {
      if (s.party !== party || s.status !== 'sent') continue;
      (s.step === 'remind' ? row.reminded : row.escalated).push(s.recipient);
    }
    parties.push(row);
  }
  const all = (pick: (p: AckPartyStatus) => string[]) => [...new Set(parties.flatMap(pick))];
  const bounced = all((p) => p.bounced.map((b) => b.recipient));
  const acknowledged = all((p) => p.acknowledged.map((a) => a.recipient));
  return { parties, acknowledged, waiting: all((p) => p.waiting).filter((w) => !acknowledged.includes(w)), bounced };
}

/** The gate of `check --acks`: every recipient of a party that must acknowledge did. */
export function allAcknowledged(s: AckStatus): boolean {
  return s.waiting.length === 0 && s.bounced.length === 0;
}

