/** The map's calendar: block and the notice periods of parties and projects (told in time). */
import { isScalar, isSeq, type Node } from 'yaml';
import { NOTICE_UNITS, WEEKDAYS, type Notice } from '../domain/calendar.js';
import { isTimeZone } from '../domain/calendar-zone.js';
import type { CalendarSettings } from '../domain/map.js';
import { didYouMean } from '../domain/slug.js';
import { entries, str, type Entry } from './fields.js';
import type { YamlSource } from './yaml-source.js';

export const CALENDAR_KEYS = ['timezone', 'holidays', 'working_days'] as const;
/** A country, or a country and region: FR, DE-BY, US-CA. Whether date-holidays knows it is checked when holidays are first counted. */
const HOLIDAYS = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;
/** Ten years of notice is already a mistake. */
const MAX_NOTICE = 3650;

export function parseCalendar(src: YamlSource, e: Entry): CalendarSettings {
  const cal: CalendarSettings = { workingDays: [1, 2, 3, 4, 5], pos: src.pos(e.key) };
  for (const f of entries(src, e.value, 'calendar', CALENDAR_KEYS)) {
    if (f.name === 'timezone') {
      const tz = str(src, f.value, 'calendar.timezone');
      if (tz && !isTimeZone(tz)) src.error(f.value, `calendar.timezone "${tz}" is not a time zone; use an IANA name such as "Europe/Paris" or "UTC"${didYouMean(tz, Intl.supportedValuesOf('timeZone'))}`);
      else cal.timezone = tz;
    } else if (f.name === 'holidays') {
      const h = str(src, f.value, 'calendar.holidays');
      if (h && !HOLIDAYS.test(h)) src.error(f.value, `calendar.holidays "${h}" must be a country code such as "FR", or country-region such as "DE-BY"`);
      else if (h) {
        cal.holidays = h;
        cal.holidaysPos = src.pos(f.value);
      }
    } else if (f.name === 'working_days') {
      const days = weekdays(src, f.value);
      if (days) cal.workingDays = days;
    }
  }
  return cal;
}

function weekdays(src: YamlSource, node: Node | null): number[] | undefined {
  if (!isSeq(node) || node.items.length === 0) {
    src.error(node ?? undefined, 'calendar.working_days must be a list of days, e.g. [mon, tue, wed, thu, fri]');
    return undefined;
  }
  const out: number[] = [];
  for (const item of node.items as Node[]) {
    const v = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
    const i = v === undefined ? -1 : (WEEKDAYS as readonly string[]).indexOf(v);
    if (i < 0) src.error(item, `calendar.working_days: ${JSON.stringify(isScalar(item) ? item.value : '?')} is not a day; use mon, tue, wed, thu, fri, sat, sun${v ? didYouMean(v, WEEKDAYS) : ''}`);
    else if (out.includes(i)) src.error(item, `calendar.working_days lists "${v}" twice`);
    else out.push(i);
  }
  return out.length === node.items.length ? out.sort() : undefined;
}

/** `{ working_days: 2 }`, `{ days: 30 }` or `{ hours: 4 }`: exactly one, a whole number. */
export function parseNotice(src: YamlSource, node: Node | null, where: string): Notice | undefined {
  const before = src.diagnostics.length;
  const fields = entries(src, node, `${where} notice`, NOTICE_UNITS);
  if (fields.length === 0) {
    if (src.diagnostics.length === before) src.error(node ?? undefined, `${where} notice needs one of working_days, days or hours, e.g. { working_days: 2 }`);
    return undefined;
  }
  if (fields.length > 1) {
    src.error(fields[1].key, `${where} notice gives ${fields.map((f) => f.name).join(' and ')}; give one of working_days, days or hours`);
    return undefined;
  }
  const [f] = fields;
  const n = isScalar(f.value) ? f.value.value : undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_NOTICE) {
    src.error(f.value ?? f.key, `${where} notice ${f.name} must be a whole number from 0 to ${MAX_NOTICE}`);
    return undefined;
  }
  return { [f.name]: n } as Notice;
}
