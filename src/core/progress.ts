/** Where a close stands: which parties are notified, pending, failed or skipped. */
import type { StakeholderMap } from './map.js';
import { planDeliveries, type Decisions, type Delivery } from './plan.js';
import { expectedParties, selectParties } from './select.js';
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

/** What `check` and `status` report for a project, planned or not. */
export interface ProjectSummary {
  project: string;
  title?: string;
  closed: boolean;
  closed_at?: string;
  planned: boolean;
  notified: string[];
  pending: string[];
  failed: string[];
  unknown: string[];
  skipped: { party: string; reason: string }[];
}

export function summarize(map: StakeholderMap, state: ProjectState): ProjectSummary {
  const project = map.projects.get(state.project);
  const planned = state.planned;
  const base = { project: state.project, title: planned?.title ?? project?.title, closed: state.closed !== undefined, closed_at: state.closed?.ts, planned: planned !== undefined };
  if (!planned) {
    const expected = expectedParties(selectParties(map, { project: state.project, actions: project?.actions ?? [] }));
    return { ...base, notified: [], pending: expected, failed: [], unknown: [], skipped: [] };
  }
  const decisions: Decisions = { project: state.project, actions: planned.actions, parties: planned.parties.filter((p) => map.parties.has(p)), skipped: planned.skipped, summary: planned.summary };
  if (state.closed) {
    return { ...base, notified: state.closed.notified, pending: [], failed: [], unknown: [], skipped: state.closed.skipped };
  }
  const p = progressOf(decisions, planDeliveries(map, decisions), state);
  return { ...base, notified: p.notified, pending: p.pending, failed: p.failed, unknown: p.unknown, skipped: p.skipped };
}
