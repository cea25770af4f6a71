/**
 * An amendment of a closed project as one value: parties that were left out, a correction to
 * everyone already told (which may move the effective date), or a cancellation to everyone told,
 * turned into exactly which messages go to whom and where it stands.
 * `amend`, its dry run, `check` and `status` read it; only applyAmendPlan acts on it.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { addressKey, domainOf, type Address } from './address.js';
import { planDeliveries, type Decisions, type Delivery } from './deliveries.js';
import type { StakeholderMap } from './map.js';
import { progressOf, type Progress } from './progress.js';
import { emptyState, type Amendment, type ProjectState, type RecipientState } from './state.js';
import type { NoticeUsed } from './events.js';
import { eventSequence, inForce } from './in-force.js';
import { noticeFromRecord } from './notice.js';

export type AmendKind = 'parties' | 'correction' | 'cancel';

/** What a close.amended line records. */
export interface AmendDecisions {
  project: string;
  kind: AmendKind;
  /** The parties told now; for a correction or a cancellation, the parties of everyone it goes to. */
  parties: string[];
  /** For a cancellation, the close's summary: what is called off. */
  summary: string;
  details?: string;
  reason: string;
  decidedBy?: string;
  /** A correction that moves the date: the new effective date, and the deadlines it gives. */
  effective?: string;
  notice?: NoticeUsed[];
}

export interface AmendPlan {
  project: string;
  amendment: AmendDecisions;
  /** 1 for the project's first amendment. */
  ordinal: number;
  /** True when the amendment is already in the log (a resumed amendment). */
  recorded: boolean;
  /** What the messages are rendered from: the close's decisions with the amendment's parties, summary and details. */
  decisions: Decisions;
  /** Every delivery of the amendment, sent or not; for parties told now, people told before included (as sent). */
  deliveries: Delivery[];
  /** People this amendment writes to for the first time about the project (parties told now). */
  newRecipients: number;
  date: Date;
  progress: Progress;
  toSend: Delivery[];
}

export interface AmendPlanOptions {
  now: Date;
  resendUnknown: boolean;
  /** For summaries: a recipient or party no longer in the map is shown, not refused. */
  lenient?: boolean;
}

export function fromAmendment(a: Amendment): AmendDecisions {
  const e = a.event;
  return { project: e.project, kind: e.kind, parties: e.parties, summary: e.summary, details: e.details, reason: e.reason, decidedBy: e.decided_by, effective: e.effective, notice: e.notice };
}

/**
 * Everyone told of the close so far, by address, with the message they received: the close's
 * sends and those of earlier amendments that told parties. A correction answers these messages.
 */
export function toldSoFar(state: ProjectState): Map<string, RecipientState> {
  const out = new Map<string, RecipientState>();
  const add = (from: Map<string, RecipientState>) => {
    for (const [key, r] of from) if (r.status === 'sent' && !out.has(key)) out.set(key, r);
  };
  add(state.recipients);
  for (const a of state.amendments) if (a !== state.amending && a.event.kind === 'parties') add(a.recipients);
  return out;
}

/** The close's parties and those an amendment told later, in map order: who the deadlines concern. */
export function partiesSoFar(map: StakeholderMap, state: ProjectState): string[] {
  const all = new Set([...(state.planned?.parties ?? []), ...state.amendments.flatMap((a) => (a.event.kind === 'parties' ? a.event.parties : []))]);
  return [...map.parties.keys()].filter((p) => all.has(p));
}

/** The parties of everyone told, in map order (then any the map no longer has): who a correction concerns. */
export function toldParties(map: StakeholderMap, state: ProjectState): string[] {
  const seen = new Set<string>();
  for (const r of toldSoFar(state).values()) for (const p of r.parties) seen.add(p);
  return [...[...map.parties.keys()].filter((p) => seen.has(p)), ...[...seen].filter((p) => !map.parties.has(p))];
}

/** Fixed per (project, amendment, recipient), and never the Message-ID of the close's own message. */
export function amendmentMessageId(project: string, ordinal: number, address: string, from: Address): string {
  const hash = createHash('sha256').update(`${project}\0amendment ${ordinal}\0${addressKey(address)}`).digest('hex').slice(0, 24);
  return `<notify.${project}.a${ordinal}.${hash}@${domainOf(from.address)}>`;
}

const MARKERS: Record<string, string> = {
  en: 'Correction: ',
  // French typography: a no-break space before the colon.
  fr: 'Correction\u00a0: ',
  de: 'Korrektur: ',
  es: 'Corrección: ',
  it: 'Correzione: ',
  nl: 'Correctie: ',
  pt: 'Correção: ',
};

const CANCEL_MARKERS: Record<string, string> = {
  en: 'Cancelled: ',
  fr: 'Annulé\u00a0: ',
  de: 'Abgesagt: ',
  es: 'Cancelado: ',
  it: 'Annullato: ',
  nl: 'Geannuleerd: ',
  pt: 'Cancelado: ',
};

const language = (locale: string) => locale.toLowerCase().split(/[-_]/)[0];

/** What marks a correction's subject, in the recipient's language (English for one not listed). */
export function correctionMarker(locale: string): string {
  return MARKERS[language(locale)] ?? MARKERS.en;
}

/** What marks a cancellation's subject, in the recipient's language (English for one not listed). */
export function cancelMarker(locale: string): string {
  return CANCEL_MARKERS[language(locale)] ?? CANCEL_MARKERS.en;
}

/**
 * What an amendment's messages are rendered from. A party told now hears of the close as it
 * stands (the date in force); a correction that moves the date says the new date and the one it
 * replaces; a cancellation, what is called off and when it would have applied. Each carries the
 * calendar event's SEQUENCE as of this amendment.
 */
function amendmentDecisions(state: ProjectState, a: AmendDecisions, ordinal: number): Decisions {
  const planned = state.planned!;
  const prior = inForce(state, state.amendments[ordinal - 1]);
  const sequence = eventSequence(state.amendments.slice(0, ordinal - 1).map((x) => x.event), a);
  const base: Decisions = { project: a.project, title: planned.title, actions: planned.actions, parties: a.parties, skipped: [], summary: a.summary, details: a.details, decidedBy: a.decidedBy, sequence };
  const dated = { effective: prior.effective, timezone: prior.timezone };
  if (a.kind === 'parties') return { ...base, ...noticeFromRecord(planned), ...dated };
  if (a.kind === 'cancel') return { ...base, ...dated, customersWillSee: planned.customers_will_see, cancelled: true };
  if (a.effective === undefined) return base;
  return { ...base, effective: a.effective, timezone: prior.timezone, previousEffective: prior.effective };
}

export function planAmendment(map: StakeholderMap, state: ProjectState, a: AmendDecisions, o: AmendPlanOptions): AmendPlan {
  const planned = state.planned;
  if (!planned) throw new Error(`internal: ${a.project} has no recorded close to amend`);
  const open = state.amending;
  const ordinal = open ? open.ordinal : state.amendments.length + 1;
  const current = open?.recipients ?? new Map<string, RecipientState>();
  const decisions = amendmentDecisions(state, a, ordinal);
  const told = toldSoFar(state);
  const idFor = (address: string) => current.get(addressKey(address))?.messageId || amendmentMessageId(a.project, ordinal, address, map.from);
  let deliveries: Delivery[];
  const seen = new Map(current);
  if (a.kind === 'parties') {
    // Someone already told through another party is not told twice: their message stands for both.
    deliveries = planDeliveries(map, decisions).map((d) => {
      const before = told.get(d.key);
      if (before) seen.set(d.key, before);
      return { ...d, messageId: before ? before.messageId : idFor(d.to.address) };
    });
  } else {
    deliveries = correctionDeliveries(map, a, told, idFor, Boolean(o.lenient), a.kind === 'cancel' ? cancelMarker : correctionMarker);
  }
  const progress = progressOf(decisions, deliveries, { ...emptyState(a.project), recipients: seen });
  const keys = new Set(progress.toSend.map((d) => d.key));
  if (o.resendUnknown) for (const d of progress.unknownDeliveries) keys.add(d.key);
  return {
    project: a.project,
    amendment: a,
    ordinal,
    recorded: open !== undefined,
    decisions,
    deliveries,
    newRecipients: deliveries.filter((d) => !told.has(d.key)).length,
    date: open ? new Date(open.event.ts) : o.now,
    progress,
    toSend: deliveries.filter((d) => keys.has(d.key)),
  };
}

/** One correction (or cancellation) per person told, answering the message they received, in their party's language. */
function correctionDeliveries(map: StakeholderMap, a: AmendDecisions, told: Map<string, RecipientState>, idFor: (address: string) => string, lenient: boolean, marker: (locale: string) => string): Delivery[] {
  const project = map.projects.get(a.project);
  const out: Delivery[] = [];
  for (const [key, r] of told) {
    const parties = r.parties.filter((p) => map.parties.has(p));
    const contact = parties.flatMap((p) => map.parties.get(p)!.contacts).find((c) => addressKey(c.address) === key);
    if (!contact && !lenient) {
      throw new UsageError(
        `${r.recipient} was told of ${a.project} (${r.parties.join(', ')}) but is no longer a contact of ${r.parties.length === 1 ? 'that party' : 'those parties'} in the map: the correction could not reach them; nothing was sent`,
        `put the contact back under the party's contacts: in ${path.basename(map.file)}, then run again`,
      );
    }
    const first = map.parties.get(parties[0] ?? '');
    const locale = first?.locale ?? map.locale;
    out.push({
      key,
      to: contact ?? { address: r.recipient },
      parties: parties.length > 0 ? parties : r.parties,
      messageId: idFor(r.recipient),
      locale,
      template: parties.map((p) => map.parties.get(p)!.template).find(Boolean) ?? project?.template,
      inReplyTo: r.messageId,
      subjectPrefix: marker(locale),
    });
  }
  return out;
}

/** Where an amendment in progress stands, for check and status (lenient: the map may have changed). */
export function amendingProgress(map: StakeholderMap, state: ProjectState): Progress | undefined {
  if (!state.amending || !state.planned) return undefined;
  const a = fromAmendment(state.amending);
  const parties = a.kind === 'parties' ? a.parties.filter((p) => map.parties.has(p)) : a.parties;
  return planAmendment(map, state, { ...a, parties }, { now: new Date(state.amending.event.ts), resendUnknown: false, lenient: true }).progress;
}
