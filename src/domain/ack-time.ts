/**
 * When a wait after a send ends. Working days are Monday to Friday, counted in the machine's
 * time zone; the one place that would use a calendar of holidays when the map has one.
 */
import type { Duration } from './map.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function after(start: Date, d: Duration): Date {
  if (d.hours !== undefined) return new Date(start.getTime() + d.hours * HOUR);
  if (d.days !== undefined) return new Date(start.getTime() + d.days * DAY);
  let t = new Date(start.getTime());
  // A send on a Saturday counts from Monday morning's working day, like one sent on Friday evening.
  for (let left = d.workingDays ?? 0; left > 0; ) {
    t = new Date(t.getTime() + DAY);
    if (isWorkingDay(t)) left--;
  }
  return t;
}

function isWorkingDay(t: Date): boolean {
  const day = t.getDay();
  return day !== 0 && day !== 6;
}

/** "2 working days", "3 days", "4 hours": for messages. */
export function describeDuration(d: Duration): string {
  const [n, unit] = d.hours !== undefined ? [d.hours, 'hour'] : d.days !== undefined ? [d.days, 'day'] : [d.workingDays ?? 0, 'working day'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
