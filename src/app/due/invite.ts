/** Told in time: the invitation a close attaches for the parties with `invite: true`. */
import { domainOf } from '../../domain/address.js';
import type { Decisions, Delivery } from '../../domain/deliveries.js';
import { effectiveOf } from '../../domain/effective.js';
import type { StakeholderMap } from '../../domain/map.js';
import { timeZoneOf } from '../../domain/effective.js';

/** The same for every notice of a project, so a calendar updates one event. */
export function inviteUid(map: StakeholderMap, project: string): string {
  return `notify.${project}@${domainOf(map.from.address)}`;
}

export function wantsInvite(map: StakeholderMap, delivery: Delivery): boolean {
  return delivery.parties.some((p) => map.parties.get(p)?.invite === true);
}

/**
 * The invitation of a close or an amendment (built once, on first use), or undefined when there
 * is no effective date or no party asks for one. `date` is when it was decided: its DTSTAMP.
 * An amendment gives the event's SEQUENCE (a move of the date is an update, METHOD:REQUEST; a
 * cancellation is METHOD:CANCEL), and the zone is the one the close recorded.
 */
export function inviteFor(map: StakeholderMap, d: Decisions, date: Date): (() => Promise<string>) | undefined {
  const effective = effectiveOf(d);
  if (!effective || !d.parties.some((p) => map.parties.get(p)?.invite === true)) return undefined;
  const project = map.projects.get(d.project);
  let built: Promise<string> | undefined;
  return () =>
    (built ??= import('../../adapters/calendar/ics.js').then(({ inviteIcs }) =>
      inviteIcs({
        uid: inviteUid(map, d.project),
        sequence: d.sequence ?? 0,
        method: d.cancelled ? 'CANCEL' : 'REQUEST',
        title: d.title ?? project?.title ?? d.project,
        description: [d.summary, d.details].filter(Boolean).join('\n\n'),
        organizer: project?.owner ?? map.replyTo ?? map.from,
        effective,
        timeZone: d.timezone ?? timeZoneOf(map),
        stamp: date,
      }),
    ));
}
