import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateOf, instantOf, isoInZone, parseWall, wallOf } from '../../src/domain/calendar-zone.js';
import { inWorkingTime, tellBy, type Notice, type WorkCalendar } from '../../src/domain/calendar.js';

const wall = (s: string) => parseWall(s)!;
const paris = (holidays: string[] = []): WorkCalendar => ({ timeZone: 'Europe/Paris', workingDays: [1, 2, 3, 4, 5], isHoliday: (d) => holidays.includes(d) });
const deadline = (cal: WorkCalendar, effective: string, n: Notice) => isoInZone(tellBy(cal, wall(effective), n).instant, cal.timeZone);

describe('wall readings and instants, with Intl', () => {
  it('reads a skipped hour as the moment the clocks jumped, a repeated one as its first occurrence', () => {
    expect(new Date(instantOf(wall('2027-03-28T02:30'), 'Europe/Paris')).toISOString()).toBe('2027-03-28T01:00:00.000Z');
    expect(new Date(instantOf(wall('2027-10-31T02:30'), 'Europe/Paris')).toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(new Date(instantOf(wall('2027-01-02T09:00'), 'America/New_York')).toISOString()).toBe('2027-01-02T14:00:00.000Z');
    expect(isoInZone(Date.parse('2027-07-01T07:00:00Z'), 'Asia/Kathmandu')).toBe('2027-07-01T12:45:00+05:45');
  });

  it('refuses what is not a date or a date and time', () => {
    for (const bad of ['2027-02-30', '2027-1-2', '2027-01-02T24:00', 'tomorrow', '0999-01-01']) expect(parseWall(bad)).toBeUndefined();
    expect(dateOf(wall('2027-01-02 09:00'))).toBe('2027-01-02');
  });
});

describe('tell_by = effective - notice, in working time', () => {
  it('counts working days back, skipping the weekend and holidays', () => {
    // Thursday 7 January 2027, from midnight: Tuesday and Wednesday whole, so Monday 18:00.
    expect(deadline(paris(), '2027-01-07', { working_days: 2 })).toBe('2027-01-04T18:00:00+01:00');
    // With a time, the time of day is kept.
    expect(deadline(paris(), '2027-01-07T14:00', { working_days: 2 })).toBe('2027-01-05T14:00:00+01:00');
    // Effective Monday 4 January: Thursday 31 December 18:00; with New Year's Day a holiday, Wednesday 30.
    expect(deadline(paris(), '2027-01-04', { working_days: 1 })).toBe('2026-12-31T18:00:00+01:00');
    expect(deadline(paris(['2027-01-01']), '2027-01-04', { working_days: 1 })).toBe('2026-12-30T18:00:00+01:00');
    expect(deadline(paris(['2027-01-01']), '2027-01-04', { working_days: 2 })).toBe('2026-12-29T18:00:00+01:00');
    // Effective on a Saturday: Thursday and Friday whole.
    expect(deadline(paris(), '2027-01-02', { working_days: 2 })).toBe('2026-12-30T18:00:00+01:00');
  });

  it('moves days and hours outside working time back to the latest working moment', () => {
    // 30 days before Monday 1 March 2027 09:00 is Saturday 30 January: Friday 29 January 18:00.
    expect(deadline(paris(), '2027-03-01T09:00', { days: 30 })).toBe('2027-01-29T18:00:00+01:00');
    // 2 hours before Monday 09:00 is 07:00: Friday 18:00.
    expect(deadline(paris(), '2027-01-11T09:00', { hours: 2 })).toBe('2027-01-08T18:00:00+01:00');
    // 4 hours before 20:00 is 16:00, working time: kept.
    expect(deadline(paris(), '2027-01-11T20:00', { hours: 4 })).toBe('2027-01-11T16:00:00+01:00');
    // 1 hour before 20:00 is 19:00: the same day's 18:00.
    expect(deadline(paris(), '2027-01-11T20:00', { hours: 1 })).toBe('2027-01-11T18:00:00+01:00');
    // Across the spring change: 24 hours before Monday 29 March 10:00 CEST is Sunday 09:00 CET... so Friday 18:00 CET.
    expect(deadline(paris(), '2027-03-29T10:00', { hours: 24 })).toBe('2027-03-26T18:00:00+01:00');
  });

  it('refuses a calendar without any working day instead of searching forever', () => {
    expect(() => tellBy({ ...paris(), workingDays: [] }, wall('2027-01-07'), { working_days: 1 })).toThrow(/no working day/);
  });
});

const ZONES = ['Europe/Paris', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Tehran', 'Europe/London', 'UTC'];
/** Effective readings in 2026-2028, at any minute: every zone's daylight-saving changes are in range. */
const effective = fc.integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2028, 11, 31) / 60_000 }).map((m) => m * 60_000);
const notice: fc.Arbitrary<Notice> = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map((n) => ({ working_days: n })),
  fc.integer({ min: 0, max: 60 }).map((n) => ({ days: n })),
  fc.integer({ min: 0, max: 400 }).map((n) => ({ hours: n })),
);
const calendar: fc.Arbitrary<WorkCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    workingDays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    // Holidays: a pseudo-random fifth of the days, different for each seed.
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map(({ timeZone, workingDays, seed }) => ({
    timeZone,
    workingDays,
    isHoliday: (d: string) => ((Number(d.replaceAll('-', '')) * 2654435761 + seed) >>> 0) % 5 === 0,
  }));

describe('properties of tell_by (fast-check)', () => {
  it('is never after effective', () => {
    fc.assert(
      fc.property(calendar, effective, notice, (cal, e, n) => {
        expect(tellBy(cal, e, n).instant).toBeLessThanOrEqual(instantOf(e, cal.timeZone));
      }),
      { numRuns: 400 },
    );
  });

  it('always lands in working time: a working day, not a holiday, 09:00 to 18:00', () => {
    fc.assert(
      fc.property(calendar, effective, notice, (cal, e, n) => {
        const t = tellBy(cal, e, n);
        const w = wallOf(t.instant, cal.timeZone);
        expect(cal.workingDays).toContain(new Date(w).getUTCDay());
        expect(cal.isHoliday(dateOf(w))).toBe(false);
        expect(inWorkingTime(cal, t.instant)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never moves earlier when effective moves later', () => {
    fc.assert(
      fc.property(calendar, effective, fc.integer({ min: 0, max: 20 * 24 * 60 }), notice, (cal, e, later, n) => {
        expect(tellBy(cal, e + later * 60_000, n).instant).toBeGreaterThanOrEqual(tellBy(cal, e, n).instant);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps at least the notice: n working days leave n whole working days, n days or hours at least that much time', () => {
    fc.assert(
      fc.property(calendar, effective, notice, (cal, e, n) => {
        const t = tellBy(cal, e, n).instant;
        const end = instantOf(e, cal.timeZone);
        if ('hours' in n) expect(end - t).toBeGreaterThanOrEqual(n.hours * 3_600_000);
        if ('days' in n) expect(e - wallOf(t, cal.timeZone)).toBeGreaterThanOrEqual(n.days * 86_400_000);
      }),
      { numRuns: 300 },
    );
  });
});
