import { describe, expect, it } from 'vitest';
import { holidaysOf } from '../../src/adapters/calendar/holidays.js';

describe('public holidays from date-holidays', () => {
  it('knows a country and a country-region', async () => {
    const fr = (await holidaysOf('FR'))!;
    expect(fr('2027-01-01')).toBe(true);
    expect(fr('2027-07-14')).toBe(true);
    expect(fr('2027-01-06')).toBe(false);
    const by = (await holidaysOf('DE-BY'))!;
    expect(by('2027-01-06')).toBe(true); // Epiphany, in Bavaria
    expect((await holidaysOf('DE'))!('2027-01-06')).toBe(false);
  });

  it('says when it knows no such place', async () => {
    expect(await holidaysOf('XX')).toBeUndefined();
    expect(await holidaysOf('FR-ZZ')).toBeUndefined();
  });
});
