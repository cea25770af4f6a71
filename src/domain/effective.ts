/**
 * The one accessor of a project's `effective` date (when the change applies) for the deadline
 * code: a local date "2027-01-02" or date and time "2027-01-02T09:00", in the map's calendar
 * zone, read from decisions, a `close.planned` event or a project of the map alike.
 */
import { parseWall } from './calendar-zone.js';

export function effectiveOf(holder: object | undefined): string | undefined {
  const v = (holder as { effective?: unknown } | undefined)?.effective;
  return typeof v === 'string' && parseWall(v) !== undefined ? v : undefined;
}
