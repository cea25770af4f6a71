import { describe, expect, it } from 'vitest';
import { runNotify } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { DUE_MAP, event, planned, sent, workspace } from './fixture.js';

// Tuesday 5 January 2027, 10:00 in Paris.
const NOW = new Date('2027-01-05T09:00:00Z');
const at = (d: Date) => () => d;

/**
 * ecard, effective Thursday 7 January: advisers (2 working days) by Monday 4 18:00, sales (its
 * project's 1 working day) by Tuesday 5 18:00, legal (30 days) by Monday 7 December 18:00.
 * spring, effective 1 June 09:00: advisers by Friday 28 May 09:00. soon, effective Monday 11:
 * advisers by Wednesday 6 18:00. done is closed; told was told whole.
 */
function log(): string {
  return (
    planned('ecard', '2026-12-01T08:00:00.000Z', '2027-01-07', ['advisers', 'sales', 'legal', 'board']) +
    sent('ecard', '2027-01-04T10:00:00.000Z', 'ann@acme.test', ['advisers']) +
    sent('ecard', '2027-01-04T16:59:00.000Z', 'advisers@acme.test', ['advisers']) + // 17:59 in Paris: in time
    planned('spring', '2027-01-02T08:00:00.000Z', '2027-06-01T09:00', ['advisers']) +
    planned('soon', '2027-01-02T08:00:00.000Z', '2027-01-11', ['advisers', 'board']) +
    sent('soon', '2027-01-02T09:00:00.000Z', 'board@acme.test', ['board']) +
    planned('told', '2027-01-02T08:00:00.000Z', '2027-01-11', ['sales']) +
    sent('told', '2027-01-08T08:00:00.000Z', 'sales@acme.test', ['sales']) +
    planned('done', '2026-11-02T08:00:00.000Z', '2027-01-04', ['legal']) +
    event('done', '2026-12-20T08:00:00.000Z', 'project.closed', { notified: ['legal'], skipped: [], recipients: 1 })
  );
}

describe('notify due', () => {
  it('lists each party of an open project with an effective date, sorted by deadline, and exits 1 when one is overdue', async () => {
    const dir = scratchDir();
    workspace(dir, log());
    const r = await runNotify(['due', '--json'], { cwd: dir, now: at(NOW) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      { project: 'ecard', effective: '2027-01-07', party: 'legal', notice: { days: 30 }, tell_by: '2026-12-07T18:00:00+01:00', state: 'overdue', told_at: null },
      { project: 'ecard', effective: '2027-01-07', party: 'advisers', notice: { working_days: 2 }, tell_by: '2027-01-04T18:00:00+01:00', state: 'ok', told_at: '2027-01-04T16:59:00.000Z' },
      { project: 'ecard', effective: '2027-01-07', party: 'sales', notice: { working_days: 1 }, tell_by: '2027-01-05T18:00:00+01:00', state: 'due', told_at: null },
      { project: 'soon', effective: '2027-01-11', party: 'advisers', notice: { working_days: 2 }, tell_by: '2027-01-06T18:00:00+01:00', state: 'due', told_at: null },
      { project: 'spring', effective: '2027-06-01T09:00', party: 'advisers', notice: { working_days: 2 }, tell_by: '2027-05-28T09:00:00+02:00', state: 'pending', told_at: null },
    ]);
  });

  it('says late for a party told after its deadline, and exits 0 when nothing is overdue', async () => {
    const dir = scratchDir();
    const late = planned('ecard', '2026-12-01T08:00:00.000Z', '2027-01-07', ['advisers', 'sales']) + sent('ecard', '2027-01-05T08:00:00.000Z', 'ann@acme.test', ['advisers']) + sent('ecard', '2027-01-05T08:00:00.000Z', 'advisers@acme.test', ['advisers']);
    workspace(dir, late);
    const r = await runNotify(['due', '--json', '--within', '1h'], { cwd: dir, now: at(NOW) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: any) => [x.party, x.state])).toEqual([
      ['advisers', 'late'],
      ['sales', 'pending'],
    ]);
  });

  it('prints one line per party for people, with the deadline in the calendar zone', async () => {
    const dir = scratchDir();
    workspace(dir, log());
    const r = await runNotify(['due'], { cwd: dir, now: at(NOW) });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('✖ overdue ecard   legal     tell by 2026-12-07 18:00 (+01:00)  (30 days before 2027-01-07)  not told');
    expect(lines[1]).toBe('✔ ok      ecard   advisers  tell by 2027-01-04 18:00 (+01:00)  (2 working days before 2027-01-07)  told 2027-01-04 17:59 (+01:00)');
    expect(lines).toHaveLength(5);
    expect(r.stderr).toContain('1 party is overdue');
  });

  it('reads the deadlines recorded by the close, not the map as edited since', async () => {
    const dir = scratchDir();
    const recorded = planned('ecard', '2026-12-01T08:00:00.000Z', '2027-01-07', ['advisers'], { notice: [{ party: 'advisers', working_days: 5, tell_by: '2026-12-30T18:00:00+01:00' }] });
    workspace(dir, recorded);
    const r = await runNotify(['due', '--json'], { cwd: dir, now: at(NOW) });
    expect(JSON.parse(r.stdout)).toEqual([{ project: 'ecard', effective: '2027-01-07', party: 'advisers', notice: { working_days: 5 }, tell_by: '2026-12-30T18:00:00+01:00', state: 'overdue', told_at: null }]);
    expect(r.code).toBe(1);
  });

  it('refuses a bad --within, and an unknown holiday country at its map line, with exit 2', async () => {
    const dir = scratchDir();
    workspace(dir, log());
    const r = await runNotify(['due', '--within', 'soon'], { cwd: dir, now: at(NOW) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--within soon: not a duration');
    const dir2 = scratchDir();
    workspace(dir2, log(), (await import('./fixture.js')).DUE_MAP.replace('  timezone: Europe/Paris\n', '  timezone: Europe/Paris\n  holidays: ZZ\n'));
    const r2 = await runNotify(['due'], { cwd: dir2, now: at(NOW) });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('notify.yaml:5:13: calendar.holidays "ZZ": no public holidays are known');
    expect(r2.stdout).toBe('');
  });
});

describe('status and report show each deadline and whether it was met', () => {
  it('met, missed and ahead', async () => {
    const dir = scratchDir();
    const log =
      planned('ecard', '2026-12-01T08:00:00.000Z', '2027-01-07', ['advisers', 'sales', 'legal']) +
      sent('ecard', '2027-01-04T10:00:00.000Z', 'ann@acme.test', ['advisers']) +
      sent('ecard', '2027-01-04T10:00:00.000Z', 'advisers@acme.test', ['advisers']);
    workspace(dir, log);
    const status = await runNotify(['status', 'ecard', '--json'], { cwd: dir, now: at(NOW) });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)[0].deadlines).toEqual([
      { party: 'advisers', tell_by: '2027-01-04T18:00:00+01:00', told_at: '2027-01-04T10:00:00.000Z', met: true, accepted_reason: null },
      { party: 'sales', tell_by: '2027-01-05T18:00:00+01:00', told_at: null, met: null, accepted_reason: null },
      { party: 'legal', tell_by: '2026-12-07T18:00:00+01:00', told_at: null, met: false, accepted_reason: null },
    ]);
    const all = await runNotify(['status'], { cwd: dir, now: at(NOW) });
    expect(all.stdout).toContain('deadlines: advisers by 2027-01-04 18:00 (+01:00) met, sales by 2027-01-05 18:00 (+01:00) ahead, legal by 2026-12-07 18:00 (+01:00) missed');
    const report = await runNotify(['report', 'ecard', '--format', 'json'], { cwd: dir, now: at(NOW) });
    expect(JSON.parse(report.stdout).deadlines.map((d: any) => [d.party, d.met])).toEqual([['advisers', true], ['sales', null], ['legal', false]]);
    const md = await runNotify(['report', 'ecard'], { cwd: dir, now: at(NOW) });
    expect(md.stdout).toContain('## Deadlines');
    expect(md.stdout).toContain('| legal | 2026-12-07T18:00:00+01:00 |  | no |  |');
  });

  it('before any close, from the effective date in the map: ahead or missed', async () => {
    const dir = scratchDir();
    workspace(dir, '', DUE_MAP.replace('    parties: [advisers, sales, legal]\n', '    parties: [advisers, sales, legal]\n    effective: "2027-01-07"\n'));
    const status = await runNotify(['status', 'ecard', '--json'], { cwd: dir, now: at(NOW) });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)[0].deadlines.map((d: any) => [d.party, d.tell_by, d.met])).toEqual([
      ['advisers', '2027-01-04T18:00:00+01:00', false],
      ['sales', '2027-01-05T18:00:00+01:00', null],
      ['legal', '2026-12-07T18:00:00+01:00', false],
    ]);
  });
});
