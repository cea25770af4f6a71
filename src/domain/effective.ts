/**
 * The one accessor of a project's `effective` date (when the change applies) for the deadline
 * code: a local date "2027-01-02" or date and time "2027-01-02T09:00", in the map's calendar
 * zone, read from decisions, a `close.planned` event or a project of the map alike.
 */
import { instantOf, parseWall, wallOf } from './calendar-zone.js';
import type { StakeholderMap } from './map.js';

export function effectiveOf(holder: object | undefined): string | undefined {
  const v = (holder as { effective?: unknown } | undefined)?.effective;
  return typeof v === 'string' && parseWall(v) !== undefined ? v : undefined;
}

/**
 * Why an effective date and time names no moment in `timeZone` (one the clocks skip when they go
 * forward), else undefined. A date alone always exists: it starts at the day's first moment.
 */
export function skippedTime(effective: string, timeZone: string): string | undefined {
  const wall = parseWall(effective);
  if (wall === undefined || !/[T ]\d/.test(effective)) return undefined;
  const after = wallOf(instantOf(wall, timeZone), timeZone);
  if (after === wall) return undefined;
  const hhmm = new Date(after).toISOString().slice(11, 16);
  return `"${effective}" does not exist in ${timeZone}: the clocks go forward then; give ${hhmm} or later, or the day before`;
}

/** The zone a map's dates are read in: calendar.timezone, else a top-level timezone:, else the system's. */
export function timeZoneOf(map: Pick<StakeholderMap, 'calendar' | 'timezone'>): string {
  return map.calendar?.timezone ?? map.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}
