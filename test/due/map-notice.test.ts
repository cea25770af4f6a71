import { describe, expect, it } from 'vitest';
import { parseMap } from '../../src/config/parse-map.js';

const HEAD = 'version: 1\nfrom: "Projects <projects@acme.test>"\n';
const errors = (yaml: string) =>
  parseMap(yaml, '/maps/notify.yaml', 'notify.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);

describe('calendar:, notice: and invite: in the map', () => {
  it('reads them', () => {
    const { map } = parseMap(
      `${HEAD}calendar:\n  timezone: Europe/Paris\n  holidays: DE-BY\n  working_days: [mon, tue, wed, thu, fri, sat]\nparties:\n  advisers:\n    contacts: ["a@acme.test"]\n    notice: { working_days: 2 }\n    invite: true\n  legal:\n    contacts: ["l@acme.test"]\nprojects:\n  promo:\n    notice:\n      legal: { days: 30 }\n`,
      '/maps/notify.yaml',
      'notify.yaml',
    );
    expect(map?.calendar).toMatchObject({ timezone: 'Europe/Paris', holidays: 'DE-BY', workingDays: [1, 2, 3, 4, 5, 6] });
    expect(map?.parties.get('advisers')).toMatchObject({ notice: { working_days: 2 }, invite: true });
    expect(map?.parties.get('legal')?.notice).toBeUndefined();
    expect(map?.projects.get('promo')?.noticePeriods).toEqual([{ party: 'legal', notice: { days: 30 } }]);
  });

  it('reports each mistake at its line, with the fix', () => {
    const found = errors(
      `${HEAD}calendar:\n  timezone: Europe/Pari\n  holidays: France\n  working_days: [mon, tue, wedn]\n  workdays: [mon]\nparties:\n  advisers:\n    contacts: ["a@acme.test"]\n    notice: { working_day: 2 }\n  legal:\n    contacts: ["l@acme.test"]\n    notice: { days: 2, hours: 4 }\n  sales:\n    contacts: ["s@acme.test"]\n    notice: { hours: -1 }\nprojects:\n  promo:\n    notice: { advisors: { days: 3 } }\n`,
    );
    expect(found).toEqual([
      'notify.yaml:7:3: unknown key "workdays" in calendar',
      'notify.yaml:4:13: calendar.timezone "Europe/Pari" is not a time zone; use an IANA name such as "Europe/Paris" or "UTC" (did you mean "Europe/Paris"?)',
      'notify.yaml:5:13: calendar.holidays "France" must be a country code such as "FR", or country-region such as "DE-BY"',
      'notify.yaml:6:28: calendar.working_days: "wedn" is not a day; use mon, tue, wed, thu, fri, sat, sun (did you mean "wed"?)',
      'notify.yaml:11:15: unknown key "working_day" in party "advisers" notice (did you mean "working_days"?)',
      'notify.yaml:14:24: party "legal" notice gives days and hours; give one of working_days, days or hours',
      'notify.yaml:17:22: party "sales" notice hours must be a whole number from 0 to 3650',
      'notify.yaml:20:15: project "promo" notice names unknown party "advisors" (did you mean "advisers"?)',
    ]);
  });
});
