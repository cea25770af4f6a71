/** The amendments of a closed project, in log order, for the report: what was amended, why, by whom, and who received it. */
import { fromAmendment, planAmendment } from '../../domain/amend-plan.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { ProjectState, RecipientState } from '../../domain/state.js';

export interface ReportAmendment<R = unknown> {
  /** 1 for the first amendment. */
  number: number;
  /** parties: parties left out, told now; correction: a correction to everyone told; cancel: everyone told that the change will not happen. */
  kind: 'parties' | 'correction' | 'cancel';
  /** A correction that moved the date: the new effective date. */
  effective?: string;
  at: string;
  decided_by?: string;
  reason: string;
  /** The summary the messages carried: the close's (told now, or cancelled), or the correction's text. */
  summary: string;
  details?: string;
  parties: string[];
  status: 'done' | 'in progress';
  /** When the project was closed again. */
  closed_at?: string;
  /** Who received this amendment's messages (and, while it is in progress, who is still to). */
  recipients: R[];
}

export function amendmentRows<R extends { address: string }>(
  map: StakeholderMap,
  state: ProjectState,
  row: (r: RecipientState) => R,
  pending: (address: string, parties: string[], messageId: string) => R,
): ReportAmendment<R>[] {
  return state.amendments.map((a) => {
    const e = a.event;
    const recipients = [...a.recipients.values()].map(row);
    if (a === state.amending && state.planned) {
      // Still open: the plan says who else is to receive it.
      const d = fromAmendment(a);
      const parties = d.kind === 'parties' ? d.parties.filter((p) => map.parties.has(p)) : d.parties;
      const plan = planAmendment(map, state, { ...d, parties }, { now: new Date(e.ts), resendUnknown: false, lenient: true });
      for (const x of plan.toSend) if (!a.recipients.has(x.key)) recipients.push(pending(x.to.address, x.parties, x.messageId));
    }
    return {
      number: a.ordinal,
      kind: e.kind,
      effective: e.effective,
      at: e.ts,
      decided_by: e.decided_by,
      reason: e.reason,
      summary: e.summary,
      details: e.details,
      parties: e.parties,
      status: a.closed ? 'done' : 'in progress',
      closed_at: a.closed?.ts,
      recipients,
    };
  });
}
