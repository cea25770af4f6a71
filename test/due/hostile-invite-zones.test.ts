/**
 * Hostile: the invitation's DTSTART in zones other than the machine's (UTC), timed and all-day,
 * including zones spelt in a way the VTIMEZONE tables do not know. Each invitation is received
 * over a real loopback SMTP server and read by ical.js, which resolves a TZID only through the
 * VTIMEZONE the file carries: a TZID without one would be read as floating time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { invitationOf } from './mime-parts.js';

const map = (zone: string) => `version: 1
from: "Projects <projects@acme.test>"
smtp:
  retry_delays_seconds: [0]
calendar:
  timezone: ${zone}
parties:
  advisers:
    contacts: ["ann@acme.test"]
    invite: true
projects:
  ecard:
    owner: "Jo <jo@acme.test>"
    parties: [advisers]
    summary: "E-card sent to 40,000 customers"
`;

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

async function invitation(zone: string, effective: string) {
  const dir = scratchDir();
  writeMap(dir, map(zone));
  const server = (smtp = await startSmtp());
  const r = await runNotify(['close', 'ecard', '--effective', effective, '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: server.url }, now: () => new Date('2026-12-01T09:00:00Z') });
  expect(r.code, r.stderr).toBe(0);
  expect(server.received).toHaveLength(1);
  return invitationOf(server.received[0].raw)!;
}

describe('the invitation starts at the effective date in the calendar zone', () => {
  it.each([
    ['America/New_York', '2027-03-15 09:30', '2027-03-15T13:30:00.000Z'],
    ['Asia/Kolkata', '2027-01-07 09:00', '2027-01-07T03:30:00.000Z'],
    ['Pacific/Chatham', '2027-01-07 09:00', '2027-01-06T19:15:00.000Z'],
    // Spellings Intl accepts but the VTIMEZONE tables name otherwise.
    ['europe/paris', '2027-01-07 09:00', '2027-01-07T08:00:00.000Z'],
    ['Europe/Kyiv', '2027-01-07 09:00', '2027-01-07T07:00:00.000Z'],
  ])('%s, %s is %s for a calendar that reads the file', async (zone, effective, utc) => {
    const i = await invitation(zone, effective);
    expect(i.startUtc).toBe(utc);
    expect(i.alarms).toBe(1);
    expect(i.attached).toBe(true);
  });

  it('a time the clocks turn back to lasts an hour on the wall clock, not zero', async () => {
    // Chatham turns 03:45 back to 02:45 on 4 April 2027: 02:45 is read twice.
    const i = await invitation('Pacific/Chatham', '2027-04-04 02:45');
    expect([i.start, i.end]).toEqual(['2027-04-04T02:45:00', '2027-04-04T03:45:00']);
    const plain = await invitation('Europe/Paris', '2027-01-07 09:00');
    expect([plain.start, plain.end]).toEqual(['2027-01-07T09:00:00', '2027-01-07T10:00:00']);
  });

  it.each(['America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'])('an all-day effective date in %s is that calendar day, with no zone', async (zone) => {
    const i = await invitation(zone, '2027-01-07');
    expect(i).toMatchObject({ start: '2027-01-07', tzid: null });
  });
});
