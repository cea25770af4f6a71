/** From the decisions of a close to exactly which messages go to whom. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { addressKey, domainOf, type Address } from './address.js';
import type { SkippedParty } from './events.js';
import type { StakeholderMap } from './map.js';
import type { NoticeFields } from './notice.js';
import type { ProjectState } from './state.js';

/** What a close decided: who is told, and what the message says (the notice fields included). */
export interface Decisions extends NoticeFields {
  project: string;
  title?: string;
  actions: string[];
  /** Selected parties, in map order. */
  parties: string[];
  skipped: SkippedParty[];
  summary: string;
  details?: string;
  decidedBy?: string;
  /** An amendment that moved the date: the date it replaces (`effective` is the new one). */
  previousEffective?: string;
  /** An amendment that calls the change off. */
  cancelled?: boolean;
  /** The SEQUENCE of the project's calendar event in these messages: 0 for the close's. */
  sequence?: number;
}

export interface Delivery {
  /** Lower-cased address: one message per person, whatever the number of parties. */
  key: string;
  to: Address;
  parties: string[];
  messageId: string;
  locale: string;
  /** Template of the first party (in map order) that names one, else the project's. */
  template?: string;
  /** A correction: the Message-ID it answers (In-Reply-To, References), and its subject's marker. */
  inReplyTo?: string;
  subjectPrefix?: string;
}

export function messageIdFor(project: string, address: string, from: Address): string {
  const hash = createHash('sha256').update(`${project}\0${addressKey(address)}`).digest('hex').slice(0, 24);
  return `<notify.${project}.${hash}@${domainOf(from.address)}>`;
}

/**
 * One delivery per person. A recipient with a message already recorded in the log keeps that
 * message's Message-ID (from `recorded`): a resend is the same message even if `from:` changed.
 */
export function planDeliveries(map: StakeholderMap, d: Decisions, recorded?: ProjectState): Delivery[] {
  const byKey = new Map<string, Delivery>();
  const project = map.projects.get(d.project);
  for (const id of d.parties) {
    const party = map.parties.get(id);
    // Decisions come from the log, the map may have changed since: refuse rather than skip them silently.
    if (!party) throw new UsageError(`party "${id}" was chosen for ${d.project} but is no longer in the map`, `put "${id}" back under parties: in ${path.basename(map.file)}, then run again; nothing was sent`);
    for (const contact of party.contacts) {
      const key = addressKey(contact.address);
      const existing = byKey.get(key);
      if (existing) {
        if (!existing.parties.includes(id)) existing.parties.push(id);
        existing.template ??= party.template;
        continue;
      }
      byKey.set(key, {
        key,
        to: contact,
        parties: [id],
        messageId: recorded?.recipients.get(key)?.messageId || messageIdFor(d.project, contact.address, map.from),
        locale: party.locale ?? map.locale,
        template: party.template,
      });
    }
  }
  // The project's template only when none of the person's parties names one.
  for (const d of byKey.values()) d.template ??= project?.template;
  return [...byKey.values()];
}

/** Every recipient address the map allows for these parties: the envelope check before sending. */
export function allowedRecipients(map: StakeholderMap, parties: string[]): Set<string> {
  const out = new Set<string>();
  for (const id of parties) for (const c of map.parties.get(id)?.contacts ?? []) out.add(addressKey(c.address));
  return out;
}
