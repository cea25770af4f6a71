/** The variables a template sees for one delivery. */
import type { StakeholderMap } from './map.js';
import type { Decisions, Delivery } from './deliveries.js';
import { ownerVars, type TemplateVars } from './render.js';
import { formatAddress } from './address.js';
import { dateVar, effectiveVars, inEffect, joinList } from './notice-dates.js';

export { dateVar } from './notice-dates.js';

export function templateVars(map: StakeholderMap, d: Decisions, delivery: Delivery, date: Date): TemplateVars {
  const project = map.projects.get(d.project);
  const locale = delivery.locale;
  const parties = delivery.parties.map((id) => ({ id, name: map.parties.get(id)?.name ?? id }));
  const actions = d.actions.map((id) => ({ id, description: map.actions.get(id)?.description ?? id }));
  const mine = delivery.parties.map((id) => map.parties.get(id)).filter((p) => p !== undefined);
  const concerning = actions.filter((a) => mine.some((p) => p.affectedBy.includes(a.id)));
  return {
    organization: map.organization ?? '',
    project: { id: d.project, title: d.title ?? project?.title ?? d.project, ...ownerVars(project?.owner) },
    summary: d.summary,
    summary_lowercase: lowerFirst(d.summary),
    details: d.details ?? '',
    ...effectiveVars(d.effective, d.timezone, date, locale),
    // An amendment: the date a move replaces (as `effective` writes it), and a cancellation.
    effective_before: d.previousEffective ? effectiveVars(d.previousEffective, d.timezone, date, locale).effective : '',
    cancelled: d.cancelled === true,
    audience: d.audience ?? '',
    customers_will_see: d.customersWillSee ?? '',
    // Set apart as one block (a quotation): its paragraphs become lines.
    what_to_say: (d.whatToSay ?? '').replace(/\n\s*\n/g, '\n'),
    notes: parties.filter((p) => d.notes?.[p.id]).map((p) => ({ party: p.id, name: p.name, text: d.notes![p.id] })),
    links: (d.links ?? []).map((l) => ({ title: l.title, url: l.url })),
    actions,
    actions_list: joinList(actions.map((a) => a.description), locale),
    party: parties[0],
    parties,
    party_names: joinList(parties.map((p) => p.name), locale),
    several_parties: parties.length > 1,
    why_actions: joinList(concerning.map((a) => lowerFirst(a.description)), locale),
    why_always: mine.some((p) => p.always),
    recipient: { name: delivery.to.name ?? '', email: delivery.to.address },
    date: dateVar(date, locale),
    from: formatAddress(map.from),
    from_name: map.from.name ?? map.from.address,
    locale,
  };
}

/** "Carte de vœux envoyée" → "carte de vœux envoyée"; "SMS envoyé", "iPhone" and "E-card" keep theirs only when the second letter is a capital. */
export function lowerFirst(text: string): string {
  const [first, second] = [...text];
  if (!first || (second && second !== second.toLowerCase())) return text;
  return first.toLowerCase() + text.slice(first.length);
}

/**
 * What of a message depends on when it is sent: the day, and whether the change is in effect
 * yet. Two dates with the same key render the same message (a rendering can then be reused).
 */
export function datedKey(d: Decisions, date: Date, locale: string): string {
  return d.effective ? `${dateVar(date, locale)}\0${inEffect(d.effective, d.timezone, date)}` : dateVar(date, locale);
}
