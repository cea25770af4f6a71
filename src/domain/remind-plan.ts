/**
 * Which reminders and escalations are due now: once per recipient after remind_after, once per
 * party and person of escalate_to after within, counted from each recipient's send. A step
 * recorded as sent, or whose outcome is unknown, is never planned again.
 */
import { createHash } from 'node:crypto';
import { addressKey, domainOf, type Address } from './address.js';
import { ackDeliveries, recordedDecisions } from './ack-status.js';
import { after } from './ack-time.js';
import { stepKey, type StepRecord } from './ack-log.js';
import type { Delivery } from './deliveries.js';
import type { AckStep } from './events.js';
import type { StakeholderMap } from './map.js';
import type { ProjectState } from './state.js';

export interface DueStep {
  step: AckStep;
  /** The party whose acknowledgements are awaited. */
  party: string;
  to: Address;
  /** The recipient's parties (a reminder), or [escalate_to] (an escalation). */
  parties: string[];
  locale: string;
  messageId: string;
  /** A reminder: the notification it reminds of. */
  original?: Delivery;
  /** When the notification was sent (the first of the waiting ones, for an escalation). */
  sentAt: Date;
  /** An escalation: who has not acknowledged. */
  waiting?: string[];
}

export interface RemindPlan {
  due: DueStep[];
  /** Steps whose send was started and never finished: not sent again (see notify status). */
  unknown: StepRecord[];
  /** When the next step that is not due yet will be. */
  next?: Date;
}

export function planReminders(map: StakeholderMap, state: ProjectState, now: Date): RemindPlan {
  const plan: RemindPlan = { due: [], unknown: [] };
  const d = recordedDecisions(map, state);
  if (!d) return plan;
  const deliveries = ackDeliveries(map, state, d);
  const skipped = new Set(d.skipped.map((s) => s.party));
  const later = (t: Date) => (plan.next = plan.next && plan.next < t ? plan.next : t);
  const open = (step: AckStep, party: string, recipient: string) => {
    const rec = state.acks.steps.get(stepKey(step, party, recipient));
    if (rec?.status === 'unknown') plan.unknown.push(rec);
    return !rec || rec.status === 'failed';
  };
  for (const party of d.parties) {
    const ack = map.parties.get(party)?.ack;
    if (!ack?.required || skipped.has(party)) continue;
    // Sent and not acknowledged (a bounced message is not waiting for a reply).
    const waiting = deliveries.filter((x) => x.parties.includes(party) && state.recipients.get(x.key)?.status === 'sent' && !state.acks.received.has(x.key));
    for (const x of waiting) {
      // One reminder per person: it goes with their first party that must acknowledge.
      if (!ack.remindAfter || firstAckParty(map, x) !== party) continue;
      const sentAt = new Date(state.recipients.get(x.key)!.ts);
      const when = after(sentAt, ack.remindAfter);
      if (when > now) later(when);
      else if (open('remind', party, x.to.address)) plan.due.push({ step: 'remind', party, to: x.to, parties: x.parties, locale: x.locale, messageId: derivedId(x.messageId, 'reminder', map), original: x, sentAt });
    }
    const target = ack.escalateTo ? map.parties.get(ack.escalateTo) : undefined;
    if (!ack.within || !target) continue;
    const overdue = waiting.filter((x) => {
      const when = after(new Date(state.recipients.get(x.key)!.ts), ack.within!);
      if (when > now) later(when);
      return when <= now;
    });
    if (overdue.length === 0) continue;
    const sentAt = new Date(Math.min(...overdue.map((x) => Date.parse(state.recipients.get(x.key)!.ts))));
    for (const c of target.contacts) {
      if (!open('escalate', party, c.address)) continue;
      const id = derivedId(`${state.project}\0${party}\0${addressKey(c.address)}`, 'escalation', map);
      plan.due.push({ step: 'escalate', party, to: c, parties: [target.id], locale: target.locale ?? map.locale, messageId: id, sentAt, waiting: overdue.map((x) => x.to.address) });
    }
  }
  return plan;
}

function firstAckParty(map: StakeholderMap, x: Delivery): string | undefined {
  return x.parties.find((p) => map.parties.get(p)?.ack?.required);
}

/** A Message-ID of its own for each step, the same on every run: a resend is the same message. */
function derivedId(seed: string, kind: string, map: StakeholderMap): string {
  const hash = createHash('sha256').update(`${seed}\0${kind}`).digest('hex').slice(0, 24);
  return `<notify.${kind}.${hash}@${domainOf(map.from.address)}>`;
}
