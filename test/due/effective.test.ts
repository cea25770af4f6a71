/**
 * Told in time, from the date a close is given (the map's projects.<id>.effective, or
 * --effective): no hand-written log, the whole way from the map to the gate.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLogEvents, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { DUE_MAP } from './fixture.js';

// Effective Thursday 7 January 2027: advisers (2 working days) must be told by Monday 4 18:00,
// sales (1 working day, the project's own period) by Tuesday 5 18:00.
const WITH_DATE = DUE_MAP.replace('    parties: [advisers, sales, legal]\n', '    parties: [advisers, sales]\n    summary: "New Year e-card to 40,000 customers"\n    effective: "2027-01-07"\n');
const at = (iso: string) => () => new Date(iso);

describe('deadlines from the effective date of the map or of --effective', () => {
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
  });
  afterEach(() => smtp.close());

  it('due lists the map project before any close, and a close in time records the deadlines it used', async () => {
    const dir = scratchDir();
    writeMap(dir, WITH_DATE);
    const before = await runNotify(['due', '--json'], { cwd: dir, now: at('2026-12-28T09:00:00Z') });
    expect(before.code).toBe(0);
    const rows = JSON.parse(before.stdout) as { project: string; party: string; tell_by: string; state: string }[];
    expect(rows.map((r) => [r.project, r.party, r.tell_by, r.state])).toEqual([
      ['ecard', 'advisers', '2027-01-04T18:00:00+01:00', 'pending'],
      ['ecard', 'sales', '2027-01-05T18:00:00+01:00', 'pending'],
    ]);

    const close = await runNotify(['close', 'ecard', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url }, now: at('2026-12-28T09:00:00Z') });
    expect(close.code).toBe(0);
    const planned = readLogEvents(dir).find((e) => e.event === 'close.planned') as { effective?: string; notice?: { party: string; tell_by: string }[] };
    expect(planned.effective).toBe('2027-01-07');
    expect(planned.notice?.map((n) => [n.party, n.tell_by])).toEqual([
      ['advisers', '2027-01-04T18:00:00+01:00'],
      ['sales', '2027-01-05T18:00:00+01:00'],
    ]);
    const check = await runNotify(['check', 'ecard', '--json'], { cwd: dir, now: at('2026-12-28T09:00:00Z') });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).late).toEqual([]);
  });

  it('--effective too close for a party: refused without --accept-late (nothing sent), recorded as party.late with it', async () => {
    const dir = scratchDir();
    writeMap(dir, WITH_DATE);
    // Tuesday 5 January, 10:00 in Paris: with --effective Wednesday 6, advisers had until Monday 4.
    const now = at('2027-01-05T09:00:00Z');
    const env = { NOTIFY_SMTP_URL: smtp.url };
    const refused = await runNotify(['close', 'ecard', '--effective', '2027-01-06', '--yes'], { cwd: dir, env, now });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--accept-late advisers=');
    expect(smtp.received).toHaveLength(0);
    expect(readLogEvents(dir)).toEqual([]);

    const late = await runNotify(['close', 'ecard', '--effective', '2027-01-06', '--accept-late', 'advisers=the date moved', '--accept-late', 'sales=the date moved', '--yes'], { cwd: dir, env, now });
    expect(late.code).toBe(0);
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual(['advisers@acme.test', 'ann@acme.test', 'board@acme.test', 'sales@acme.test']);
    const events = readLogEvents(dir);
    expect(events.filter((e) => e.event === 'party.late').map((e) => (e as unknown as { party: string }).party).sort()).toEqual(['advisers', 'sales']);
    expect((events.find((e) => e.event === 'close.planned') as { effective?: string }).effective).toBe('2027-01-06');
  });
});
