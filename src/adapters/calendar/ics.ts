/**
 * The calendar invitation a notice carries for a party with `invite: true`: one VEVENT at the
 * project's effective date, written by ical-generator (luxon gives it the zoned start, and
 * @touch4it/ical-timezones the VTIMEZONE its TZID needs). Loaded only by a close or preview
 * that has such a party. The same inputs give the same bytes: a resumed close or a preview
 * builds the very message that was sent.
 */
import type { Address } from '../../domain/address.js';

export interface InviteInput {
  /** Stable per project, so a later update replaces the same event in the calendar. */
  uid: string;
  /** 0 for the first notice; higher for each later update of the same event. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  title: string;
  description: string;
  organizer: Address;
  /** "2027-01-07" (an all-day event) or "2027-01-07 09:00" / "2027-01-07T09:00" (one hour from then), in `timeZone`. */
  effective: string;
  timeZone: string;
  /** DTSTAMP: when the notice was decided, not when it is built. */
  stamp: Date;
}

export async function inviteIcs(i: InviteInput): Promise<string> {
  const [{ default: ical, ICalAlarmType, ICalCalendarMethod, ICalEventStatus }, { DateTime }, tz] = await Promise.all([import('ical-generator'), import('luxon'), import('@touch4it/ical-timezones')]);
  // The log writes a time after a space ("2027-01-07 09:00"); ISO 8601 wants a T.
  const effective = i.effective.replace(' ', 'T');
  const allDay = !effective.includes('T');
  const start = DateTime.fromISO(effective, { zone: i.timeZone });
  if (!start.isValid) throw new Error(`internal: effective date "${i.effective}" in ${i.timeZone} is not a date`);
  const cancel = i.method === 'CANCEL';
  const zone = allDay ? undefined : zoneRules(tz, i.timeZone);
  const cal = ical({
    prodId: { company: 'notify', product: 'notify', language: 'EN' },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  cal.createEvent({
    id: i.uid,
    sequence: i.sequence,
    stamp: i.stamp,
    start,
    // An hour later on the wall clock: an hour of elapsed time from a time the clocks turn back
    // to would read the same time again, a zero-length event.
    end: allDay ? start.plus({ days: 1 }) : DateTime.fromISO(effective, { zone: 'UTC' }).plus({ hours: 1 }).setZone(i.timeZone, { keepLocalTime: true }),
    allDay,
    // Without a VTIMEZONE a TZID would be read as floating time: UTC is then the one safe form.
    timezone: zone?.name,
    summary: i.title,
    description: i.description,
    organizer: { name: i.organizer.name || i.organizer.address, email: i.organizer.address },
    // RFC 5546: a cancelled event says so, and a reminder of it would be noise.
    ...(cancel ? { status: ICalEventStatus.CANCELLED } : { alarms: [{ type: ICalAlarmType.display, trigger: 24 * 3600, description: `Tomorrow: ${i.title}` }] }),
  });
  const text = cal.toString();
  if (!zone) return text;
  // The zone's VTIMEZONE, which a TZID needs: added here rather than through the calendar's own
  // timezone option, which would also write DTSTAMP in the process's local time instead of UTC.
  return text.replace('BEGIN:VEVENT', `${zone.vtimezone.replace(/\r?\n/g, '\r\n').trimEnd()}\r\nBEGIN:VEVENT`);
}

type Zones = typeof import('@touch4it/ical-timezones');

/**
 * The zone's name and VTIMEZONE: as the map spells it, else as Intl names it ("europe/paris" is
 * Europe/Paris, Europe/Kyiv is Europe/Kiev), else none.
 */
function zoneRules(tz: Zones, timeZone: string): { name: string; vtimezone: string } | undefined {
  for (const name of new Set([timeZone, new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone])) {
    const vtimezone = tz.getVtimezoneComponent(name);
    if (vtimezone) return { name, vtimezone };
  }
  return undefined;
}
