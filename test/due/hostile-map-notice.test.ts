/**
 * Hostile: malformed notice periods in the map. Each is one line naming the file, the line and
 * the fix, with exit 2 from `notify due`; nothing is counted from a map that is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';

const map = (partyNotice: string, projectNotice = '') => `version: 1
from: "Projects <projects@acme.test>"
parties:
  advisers:
    contacts: ["ann@acme.test"]
${partyNotice ? `    ${partyNotice}\n` : ''}projects:
  ecard:
    parties: [advisers]
    effective: 2027-01-07
${projectNotice ? `    ${projectNotice}\n` : ''}`;

async function due(yaml: string) {
  const dir = scratchDir();
  writeMap(dir, yaml);
  const r = await runNotify(['due'], { cwd: dir, now: () => new Date('2026-12-01T09:00:00Z') });
  return { code: r.code, errors: r.stderr.split('\n').filter((l) => l.startsWith('notify:')), stdout: r.stdout };
}

describe('a malformed notice period is one line with its place and its fix, exit 2', () => {
  it.each([
    ['notice: { working_days: -1 }', '', 'notify.yaml:6:29: party "advisers" notice working_days must be a whole number from 0 to 3650'],
    ['notice: { days: "3" }', '', 'notify.yaml:6:21: party "advisers" notice days must be a whole number from 0 to 3650'],
    ['notice: { hours: 1.5 }', '', 'notify.yaml:6:22: party "advisers" notice hours must be a whole number from 0 to 3650'],
    ['notice: { weeks: 2 }', '', 'notify.yaml:6:15: unknown key "weeks" in party "advisers" notice'],
    ['notice: { days: 2, working_days: 1 }', '', 'notify.yaml:6:24: party "advisers" notice gives days and working_days; give one of working_days, days or hours'],
    ['notice: {}', '', 'notify.yaml:6:13: party "advisers" notice needs one of working_days, days or hours, e.g. { working_days: 2 }'],
    ['', 'notice: { advisers: { days: -3 } }', 'notify.yaml:10:33: project "ecard" party "advisers" notice days must be a whole number from 0 to 3650'],
    // A party's shape written under the project: one line that says how a project's notice is written.
    ['', 'notice: { working_days: 2 }', 'notify.yaml:10:15: project "ecard" notice is given per party: write notice: { <party>: { working_days: 2 } }, or put notice: { working_days: 2 } under the party'],
  ])('party %j, project %j', async (party, project, line) => {
    const r = await due(map(party, project));
    expect(r.code).toBe(2);
    expect(r.errors).toEqual([`notify: ${line}`]);
    expect(r.stdout).toBe('');
  });

  it('a party named like a unit is still a party: its project notice is read as one', async () => {
    const yaml = map('').replace('  advisers:\n', '  days:\n    contacts: ["d@acme.test"]\n  advisers:\n').replace('parties: [advisers]', 'parties: [advisers, days]');
    const r = await due(yaml.replace('    effective: 2027-01-07\n', '    effective: 2027-01-07\n    notice: { days: { days: 3 } }\n'));
    expect(r.code, r.errors.join('\n')).toBe(0);
    expect(r.stdout).toContain('days  tell by 2027-01-01 18:00');
  });
});

describe('an effective time the clocks skip is refused where it is written, exit 2', () => {
  const paris = (effective: string) => map('notice: { days: 3 }').replace('version: 1\n', 'version: 1\ncalendar: { timezone: Europe/Paris }\n').replace('effective: 2027-01-07', `effective: "${effective}"`);

  it('in the map, at its line: the first time that exists is given', async () => {
    const r = await due(paris('2027-03-28 02:30'));
    expect(r.code).toBe(2);
    expect(r.errors).toEqual(['notify: notify.yaml:11:16: project "ecard" effective: "2027-03-28 02:30" does not exist in Europe/Paris: the clocks go forward then; give 03:00 or later, or the day before']);
  });

  it('the hour the clocks turn back, and the day of the change alone, exist', async () => {
    expect((await due(paris('2027-10-31 02:30'))).code).not.toBe(2);
    expect((await due(paris('2027-03-28'))).code).not.toBe(2);
  });

  it('--effective on close: refused before anything is decided or sent', async () => {
    const dir = scratchDir();
    writeMap(dir, paris('2027-04-01'));
    const r = await runNotify(['close', 'ecard', '--effective', '2027-03-28 02:00', '--summary', 'x', '--yes', '--transport', 'file'], { cwd: dir, now: () => new Date('2026-12-01T09:00:00Z') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('notify: --effective "2027-03-28 02:00" does not exist in Europe/Paris: the clocks go forward then; give 03:00 or later, or the day before; nothing was sent');
    expect(fs.existsSync(path.join(dir, '.notify', 'log.jsonl'))).toBe(false);
  });
});
