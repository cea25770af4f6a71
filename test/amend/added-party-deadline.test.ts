/**
 * A party the close left out and `amend --party` told later is held to its own notice period for
 * the date in force: its deadline is recorded with the amendment, a passed one needs
 * --accept-late (nothing sent without it), and check, status and due count it. Over a real
 * loopback SMTP server, with the clock injected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readLogEvents, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const MAP = `version: 1
from: "Projects <projects@acme.test>"
calendar:
  timezone: Europe/Paris
parties:
  advisers:
    contacts: ["advisers@acme.test"]
    notice: { working_days: 2 }
  legal:
    contacts: ["legal@acme.test"]
    notice: { days: 3 }
projects:
  ecard:
    title: "New Year e-card"
    owner: "Jo <jo@acme.test>"
    parties: [advisers]
    summary: "E-card sent to 40,000 customers"
    effective: "2027-01-21"
`;

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

async function closed() {
  const dir = scratchDir();
  writeMap(dir, MAP);
  const server = (smtp = await startSmtp());
  const at = (iso: string, args: string[]) => runNotify(args, { cwd: dir, env: { NOTIFY_SMTP_URL: server.url, NOTIFY_DECIDED_BY: 'Ana' }, now: () => new Date(iso) });
  const close = await at('2027-01-04T09:00:00Z', ['close', 'ecard', '--yes']);
  expect(close.code, close.stderr).toBe(0);
  expect(server.received.map((m) => m.to.join())).toEqual(['advisers@acme.test']);
  return { dir, server, at, events: (kind: string) => readLogEvents(dir).filter((e) => e.event === kind) };
}

describe('a party told later by amend --party has its own deadline', () => {
  it('told after it: refused without --accept-late (nothing sent), then recorded, and check reports it late with the reason', async () => {
    const w = await closed();
    // legal had until Friday 15 January 18:00 (three days before the 21st is Monday 00:00, out of working hours): the 20th is late.
    const refused = await w.at('2027-01-20T09:00:00Z', ['amend', 'ecard', '--party', 'legal', '--reason', 'left out', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^notify: legal had to be told by .*2027-01-15 18:00.*the deadline has passed; nothing was sent$/m);
    expect(w.server.received).toHaveLength(1);
    expect(w.events('close.amended')).toEqual([]);

    const accepted = await w.at('2027-01-20T09:00:00Z', ['amend', 'ecard', '--party', 'legal', '--reason', 'left out', '--accept-late', 'legal=forgotten in the map', '--yes']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(w.server.received.map((m) => m.to.join())).toEqual(['advisers@acme.test', 'legal@acme.test']);
    expect(w.events('close.amended')).toMatchObject([{ kind: 'parties', parties: ['legal'], notice: [{ party: 'legal', days: 3, tell_by: '2027-01-15T18:00:00+01:00' }] }]);
    expect(w.events('party.late')).toMatchObject([{ party: 'legal', tell_by: '2027-01-15T18:00:00+01:00', reason: 'forgotten in the map' }]);

    const check = await w.at('2027-01-20T10:00:00Z', ['check', 'ecard', '--json']);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).late).toEqual([{ party: 'legal', tell_by: '2027-01-15T18:00:00+01:00', told_at: expect.stringMatching(/^2027-01-20T09:00/), accepted_reason: 'forgotten in the map' }]);
    const status = await w.at('2027-01-20T10:00:00Z', ['status', 'ecard', '--json']);
    expect(JSON.parse(status.stdout)[0].deadlines.map((d: any) => [d.party, d.met])).toEqual([
      ['advisers', true],
      ['legal', false],
    ]);
  });

  it('told in time: no reason asked, the deadline is met, and due has nothing left to list', async () => {
    const w = await closed();
    const amend = await w.at('2027-01-11T09:00:00Z', ['amend', 'ecard', '--party', 'legal', '--reason', 'left out', '--yes']);
    expect(amend.code, amend.stderr).toBe(0);
    expect(w.server.received.map((m) => m.to.join())).toEqual(['advisers@acme.test', 'legal@acme.test']);
    const status = await w.at('2027-01-11T10:00:00Z', ['status', 'ecard', '--json']);
    expect(JSON.parse(status.stdout)[0].deadlines.map((d: any) => [d.party, d.tell_by, d.met])).toEqual([
      ['advisers', '2027-01-18T18:00:00+01:00', true],
      ['legal', '2027-01-15T18:00:00+01:00', true],
    ]);
    const due = await w.at('2027-01-11T10:00:00Z', ['due', '--json']);
    expect(due.code, due.stderr).toBe(0);
    expect(JSON.parse(due.stdout)).toEqual([]);
  });
});
