import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLogEvents, runNotify, scriptedPrompter } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { event, planned, sent, workspace } from './fixture.js';

// Tuesday 5 January 2027, 10:00 in Paris. ecard is effective Thursday 7: advisers (2 working
// days) had to be told by Monday 4 18:00; sales (1 working day, the project's) by Tuesday 5 18:00.
const NOW = new Date('2027-01-05T09:00:00Z');
const now = () => NOW;
const logFile = (dir: string) => path.join(dir, '.notify', 'log.jsonl');

describe('the gate knows about time', () => {
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
  });
  afterEach(() => smtp.close());
  const env = () => ({ NOTIFY_SMTP_URL: smtp.url });

  it('close after a passed deadline needs --accept-late, sends nothing without it, records the reason with it, and check passes', async () => {
    const dir = scratchDir();
    workspace(dir, planned('ecard', '2026-12-01T08:00:00.000Z', '2027-01-07', ['advisers', 'sales']));
    const before = fs.readFileSync(logFile(dir), 'utf8');

    const refused = await runNotify(['close', 'ecard', '--yes'], { cwd: dir, env: env(), now });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('advisers had to be told by 2027-01-04 18:00 (+01:00) (2 working days before the effective date): the deadline has passed; nothing was sent');
    expect(refused.stderr).toContain('--accept-late advisers="why they are told late"');
    expect(smtp.received).toHaveLength(0);
    expect(fs.readFileSync(logFile(dir), 'utf8')).toBe(before);

    // Sales is not late: accepting it is a mistake, said as such.
    const wrong = await runNotify(['close', 'ecard', '--yes', '--accept-late', 'advisers=moved', '--accept-late', 'sales=x'], { cwd: dir, env: env(), now });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--accept-late sales: its deadline 2027-01-05 18:00 (+01:00) is met or still ahead');
    expect(smtp.received).toHaveLength(0);

    const ok = await runNotify(['close', 'ecard', '--yes', '--accept-late', 'advisers=the date was moved forward on Monday night'], { cwd: dir, env: env(), now });
    expect(ok.code, ok.stderr).toBe(0);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['advisers@acme.test', 'ann@acme.test', 'sales@acme.test']);
    const late = readLogEvents(dir).filter((e) => e.event === 'party.late');
    expect(late).toMatchObject([{ project: 'ecard', party: 'advisers', tell_by: '2027-01-04T18:00:00+01:00', reason: 'the date was moved forward on Monday night' }]);

    const check = await runNotify(['check', 'ecard', '--json'], { cwd: dir, env: env(), now });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).late).toEqual([{ party: 'advisers', tell_by: '2027-01-04T18:00:00+01:00', told_at: '2027-01-05T09:00:00.000Z', accepted_reason: 'the date was moved forward on Monday night' }]);
  });

  it('asks for the reason on a terminal', async () => {
    const dir = scratchDir();
    workspace(dir, planned('ecard', '2026-12-01T08:00:00.000Z', '2027-01-07', ['advisers']));
    const asked: string[] = [];
    const r = await runNotify(['close', 'ecard', '--yes'], { cwd: dir, env: env(), now, interactive: true, prompter: scriptedPrompter([{ input: 'the printer broke' }], asked) });
    expect(r.code, r.stderr).toBe(0);
    expect(asked).toEqual(['advisers had to be told by 2027-01-04 18:00 (+01:00) (2 working days before the effective date). Why is telling them late accepted? (recorded in the log)']);
    expect(readLogEvents(dir).find((e) => e.event === 'party.late')).toMatchObject({ party: 'advisers', reason: 'the printer broke' });
  });

  it('check fails for a party told the day before a 2-working-day deadline, and passes one told in time', async () => {
    const dir = scratchDir();
    const log =
      planned('ecard', '2026-12-01T08:00:00.000Z', '2027-01-07', ['advisers', 'sales']) +
      sent('ecard', '2027-01-03T10:00:00.000Z', 'sales@acme.test', ['sales']) + // Sunday: in time
      sent('ecard', '2027-01-06T10:00:00.000Z', 'ann@acme.test', ['advisers']) + // Wednesday: late
      sent('ecard', '2027-01-04T10:00:00.000Z', 'advisers@acme.test', ['advisers']) +
      event('ecard', '2027-01-06T10:00:01.000Z', 'project.closed', { notified: ['advisers', 'sales'], skipped: [], recipients: 3 });
    workspace(dir, log);
    const r = await runNotify(['check', 'ecard'], { cwd: dir, now });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('✖ ecard is closed, but 1 party was told late:\n  late: advisers, to be told by 2027-01-04 18:00 (+01:00), was told 2027-01-06 11:00 (+01:00)\n');
    const j = await runNotify(['check', 'ecard', '--json'], { cwd: dir, now });
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ closed: true, late: [{ party: 'advisers', tell_by: '2027-01-04T18:00:00+01:00', told_at: '2027-01-06T10:00:00.000Z', accepted_reason: null }] });
  });

  it('a project without an effective date is gated as before', async () => {
    const dir = scratchDir();
    workspace(dir, '');
    const r = await runNotify(['close', 'ecard', '--yes', '-m', 'done', '--accept-late', 'advisers=x'], { cwd: dir, env: env(), now });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--accept-late: ecard has no effective date, so no party can be late');
    expect(smtp.received).toHaveLength(0);
  });
});

describe('the deadlines a first close records', () => {
  it('are worked out from the map for decisions with an effective date, and none are needed before the deadline', async () => {
    const { lateGate } = await import('../../src/app/due/gate.js');
    const { parseMap } = await import('../../src/config/parse-map.js');
    const { emptyState } = await import('../../src/domain/state.js');
    const { DUE_MAP } = await import('./fixture.js');
    const { realPorts } = await import('../../src/adapters/real-ports.js');
    const map = parseMap(DUE_MAP, '/maps/notify.yaml', 'notify.yaml').map!;
    const ctx = { cwd: '/maps', env: {}, interactive: false, now: () => new Date('2026-12-01T09:00:00Z'), ports: realPorts() } as never;
    const decisions = { project: 'ecard', actions: [], parties: ['advisers', 'sales', 'board'], skipped: [], summary: 's', effective: '2027-01-07' };
    expect(await lateGate(map, emptyState('ecard'), decisions, [], ctx)).toEqual({
      accepted: [],
      notice: [
        { party: 'advisers', working_days: 2, tell_by: '2027-01-04T18:00:00+01:00' },
        { party: 'sales', working_days: 1, tell_by: '2027-01-05T18:00:00+01:00' },
      ],
    });
  });
});
