/** Where a close stands: which parties are notified, pending, failed or skipped. */
import type { Decisions, Delivery } from './deliveries.js';
import type { ProjectState, RecipientState } from './state.js';

export interface PartyProgress {
  party: string;
  status: 'notified' | 'pending' | 'failed' | 'unknown' | 'skipped';
  recipients: { address: string; status: RecipientState['status'] | 'pending'; detail?: string }[];
  reason?: string;
}

export interface Progress {
  project: string;
  closed: boolean;
  parties: PartyProgress[];
  notified: string[];
  pending: string[];
  failed: string[];
  unknown: string[];
  skipped: { party: string; reason: string }[];
  /** Deliveries still to make (not sent, not unknown). */
  toSend: Delivery[];
  unknownDeliveries: Delivery[];
}

/** "550 no such user": the code once, whether or not the server's text already starts with it. */
export function failureText(code: number | undefined, text: string): string {
  return code === undefined || text.startsWith(String(code)) ? text : `${code} ${text}`.trim();
}

export function progressOf(decisions: Decisions, deliveries: Delivery[], state: ProjectState): Progress {
  const parties: PartyProgress[] = [];
  // Deliveries by party, in delivery order: one pass, not one per party (1,000 parties x 10,000 messages).
  const byParty = new Map<string, Delivery[]>();
  for (const d of deliveries) for (const p of new Set(d.parties)) byParty.get(p)?.push(d) ?? byParty.set(p, [d]);
  for (const party of decisions.parties) {
    const recipients = (byParty.get(party) ?? [])
      .map((d) => {
        const r = state.recipients.get(d.key);
        const detail = r?.status === 'failed' ? `${r.permanent === false ? 'deferred: ' : ''}${failureText(r.code, r.text ?? '')}` : r?.status === 'unknown' ? r.text : undefined;
        return { address: d.to.address, status: r?.status ?? ('pending' as const), detail };
      });
    const statuses = new Set(recipients.map((r) => r.status));
    const status = statuses.size === 1 && statuses.has('sent') ? 'notified' : statuses.has('unknown') ? 'unknown' : statuses.has('failed') ? 'failed' : 'pending';
    parties.push({ party, status, recipients });
  }
  for (const s of decisions.skipped) parties.push({ party: s.party, status: 'skipped', recipients: [], reason: s.reason });
  const ids = (st: PartyProgress['status']) => parties.filter((p) => p.status === st).map((p) => p.party);
  return {
    project: decisions.project,
    closed: state.closed !== undefined,
    parties,
    notified: ids('notified'),
    pending: ids('pending'),
    failed: ids('failed'),
    unknown: ids('unknown'),
    skipped: decisions.skipped,
    toSend: deliveries.filter((d) => {
      const st = state.recipients.get(d.key)?.status;
      return st !== 'sent' && st !== 'unknown';
    }),
    unknownDeliveries: deliveries.filter((d) => state.recipients.get(d.key)?.status === 'unknown'),
  };
}
