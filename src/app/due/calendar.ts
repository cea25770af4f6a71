/** The map's working calendar, its holidays loaded only when the map names a country. */
import path from 'node:path';
import type { Context } from '../../context.js';
import type { WorkCalendar } from '../../domain/calendar.js';
import { isTimeZone } from '../../domain/calendar-zone.js';
import { timeZoneOf } from '../../domain/effective.js';
import type { StakeholderMap } from '../../domain/map.js';
import { ConfigError } from '../../errors.js';

export async function openCalendar(map: StakeholderMap, ctx: Context): Promise<WorkCalendar> {
  const c = map.calendar;
  let isHoliday = (_date: string) => false;
  if (c?.holidays) {
    const found = await ctx.ports.holidays.open(c.holidays);
    if (!found) {
      const at = c.holidaysPos ?? c.pos;
      throw new ConfigError([{ file: path.relative(ctx.cwd, map.file) || map.file, line: at.line, col: at.col, severity: 'error', message: `calendar.holidays "${c.holidays}": no public holidays are known for this country or region; use an ISO code such as "FR" or "DE-BY"` }]);
    }
    isHoliday = found;
  }
  return { timeZone: timeZoneOf(map), workingDays: c?.workingDays ?? [1, 2, 3, 4, 5], isHoliday };
}

/**
 * The calendar a recorded close is held to: the zone it recorded (so a later edit of the map's
 * zone moves no deadline of it), with the map's working days and holidays.
 */
export function recordedCalendar(cal: WorkCalendar, recordedZone: string | undefined): WorkCalendar {
  return recordedZone && recordedZone !== cal.timeZone && isTimeZone(recordedZone) ? { ...cal, timeZone: recordedZone } : cal;
}
