/**
 * Working time, and the deadline of a notice period: `tell_by = effective - notice`, counted in
 * the map's calendar. Working time is 09:00 to 18:00 (both included) on a working day that is
 * not a public holiday, in the calendar's time zone. A deadline outside working time moves back
 * to the latest working moment before it: the same day's 18:00 when it falls in the evening,
 * else the previous working day's 18:00.
 */
import { UsageError } from '../errors.js';
import { dateOf, instantOf, wallOf } from './calendar-zone.js';

/** How long before `effective` a party must be told: exactly one of the three. */
export type Notice = { working_days: number } | { days: number } | { hours: number };

export const NOTICE_UNITS = ['working_days', 'days', 'hours'] as const;
export type NoticeUnit = (typeof NOTICE_UNITS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Working time: 09:00 to 18:00 on a working day (documented in the README's Told in time). */
const START = 9 * HOUR;
const END = 18 * HOUR;
/** Ten years of days: a calendar with no working day in that span is a mistake, not a wait. */
const MAX_STEPS = 3653;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WorkCalendar {
  timeZone: string;
  /** Days of the week that are worked: 0 Sunday ... 6 Saturday. */
  workingDays: readonly number[];
  /** A public holiday on this date ("2027-01-01"), in the calendar's zone. */
  isHoliday(date: string): boolean;
}

export function unitOf(n: Notice): NoticeUnit {
  return 'working_days' in n ? 'working_days' : 'days' in n ? 'days' : 'hours';
}

export function amountOf(n: Notice): number {
  return 'working_days' in n ? n.working_days : 'days' in n ? n.days : n.hours;
}

/** "2 working days", "30 days", "4 hours". */
export function describeNotice(n: Notice): string {
  const amount = amountOf(n);
  const unit = unitOf(n) === 'working_days' ? 'working day' : unitOf(n) === 'days' ? 'day' : 'hour';
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

function isWorkingDay(cal: WorkCalendar, dayStart: number): boolean {
  return cal.workingDays.includes(new Date(dayStart).getUTCDay()) && !cal.isHoliday(dateOf(dayStart));
}

function previousWorkingDay(cal: WorkCalendar, dayStart: number): number {
  let d = dayStart;
  for (let i = 0; i < MAX_STEPS; i++) {
    d -= DAY;
    if (isWorkingDay(cal, d)) return d;
  }
  throw new UsageError('the calendar has no working day in ten years', 'check calendar.working_days and calendar.holidays in the map');
}

/** The latest working moment at or before a wall reading. */
export function latestWorkingMoment(cal: WorkCalendar, wall: number): number {
  const day = Math.floor(wall / DAY) * DAY;
  const time = wall - day;
  if (isWorkingDay(cal, day) && time >= START) return day + Math.min(time, END);
  return previousWorkingDay(cal, day) + END;
}

export interface Deadline {
  /** The wall reading in the calendar's zone. */
  wall: number;
  instant: number;
}

/**
 * The deadline for a wall reading `effective` (the change applies from then). Working days keep
 * the time of day: effective Thursday 14:00 with two working days is Tuesday 14:00; effective
 * Thursday (midnight) is Monday 18:00, leaving Tuesday and Wednesday whole.
 */
export function tellBy(cal: WorkCalendar, effective: number, notice: Notice): Deadline {
  let wall: number;
  if ('working_days' in notice) {
    const from = latestWorkingMoment(cal, effective);
    let day = Math.floor(from / DAY) * DAY;
    const time = from - day;
    for (let i = 0; i < notice.working_days; i++) day = previousWorkingDay(cal, day);
    wall = day + time;
  } else if ('days' in notice) {
    wall = latestWorkingMoment(cal, effective - notice.days * DAY);
  } else {
    wall = latestWorkingMoment(cal, wallOf(instantOf(effective, cal.timeZone) - notice.hours * HOUR, cal.timeZone));
  }
  return { wall, instant: instantOf(wall, cal.timeZone) };
}

/** Whether an instant falls in working time (for tests and messages). */
export function inWorkingTime(cal: WorkCalendar, instant: number): boolean {
  const wall = wallOf(instant, cal.timeZone);
  return latestWorkingMoment(cal, wall) === wall;
}
