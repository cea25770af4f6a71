/** The variables a template sees for one delivery. */
import type { StakeholderMap } from './map.js';
import type { Decisions, Delivery } from './deliveries.js';
import { ownerVars, type TemplateVars } from './render.js';
import { formatAddress } from './address.js';

export function templateVars(map: StakeholderMap, d: Decisions, delivery: Delivery, date: Date): TemplateVars {
  const project = map.projects.get(d.project);
  const parties = delivery.parties.map((id) => ({ id, name: map.parties.get(id)?.name ?? id }));
  const actions = d.actions.map((id) => ({ id, description: map.actions.get(id)?.description ?? id }));
  return {
    organization: map.organization ?? '',
    project: { id: d.project, title: d.title ?? project?.title ?? d.project, ...ownerVars(project?.owner) },
    summary: d.summary,
    details: d.details ?? '',
    actions,
    actions_list: actions.map((a) => a.description).join('; '),
    party: parties[0],
    parties,
    party_names: parties.map((p) => p.name).join(', '),
    recipient: { name: delivery.to.name ?? '', email: delivery.to.address },
    date: dateVar(date, delivery.locale),
    from: formatAddress(map.from),
  };
}

// Building a formatter costs about 0.1 ms and formatting 40 µs: a close has one date, so one of each per locale.
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const formatted = new Map<string, string>();

/** The `date` variable: the day of `date` as the locale writes it. */
export function dateVar(date: Date, locale: string): string {
  const key = `${locale}\0${date.getTime()}`;
  let out = formatted.get(key);
  if (out === undefined) {
    if (formatted.size > 100) formatted.clear();
    formatted.set(key, (out = formatWith(date, locale)));
  }
  return out;
}

function formatWith(date: Date, locale: string): string {
  let f = formatters.get(locale);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    } catch {
      f = null;
    }
    formatters.set(locale, f);
  }
  return f ? f.format(date) : date.toISOString().slice(0, 10);
}
