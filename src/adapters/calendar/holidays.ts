/**
 * Public holidays of a country (or country-region, "DE-BY") from date-holidays, as the one
 * function the calendar needs. Loaded only by the commands that count working days with
 * holidays: the package and its rules weigh about half a second to import.
 */
import type Holidays from 'date-holidays';

export type IsHoliday = (date: string) => boolean;

/** Undefined when date-holidays knows no such country or region. */
export async function holidaysOf(spec: string): Promise<IsHoliday | undefined> {
  const { default: HolidaysClass } = (await import('date-holidays')) as { default: typeof Holidays };
  const [country, region] = spec.split('-');
  const known = new HolidaysClass();
  if (!known.getCountries()[country.toUpperCase()]) return undefined;
  if (region !== undefined && !known.getStates(country.toUpperCase())?.[region.toUpperCase()]) return undefined;
  const hd = region ? new HolidaysClass(country.toUpperCase(), region.toUpperCase()) : new HolidaysClass(country.toUpperCase());
  const years = new Map<number, Set<string>>();
  return (date: string) => {
    const year = Number(date.slice(0, 4));
    let days = years.get(year);
    if (!days) {
      // Public holidays only: bank, school and observance days are worked.
      days = new Set(hd.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      years.set(year, days);
    }
    return days.has(date);
  };
}
