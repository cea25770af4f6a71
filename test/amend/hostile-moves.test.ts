/**
 * Hostile tests of a move of the date and of --accept-late, over a real loopback SMTP server
 * with the clock injected: spellings of the date in force, a reason given twice, and a rerun
 * with the very flags of a run that did not finish.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLogEvents, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { smtpError, startSmtp, type TestSmtp } from '../helpers/smtp.js';

const MAP = `version: 1
organization: Acme
from: "Projects <projects@acme.test>"
smtp:
  retry_delays_seconds: [0]
calendar:
  timezone: Europe/Paris
parties:
  advisers:
    name: Conseillers
    locale: fr
    contacts: ["Ann <ann@acme.test>"]
    notice: { working_days: 2 }
    invite: true
  sales:
    contacts: ["sales@acme.test"]
    notice: { working_days: 1 }
projects:
  ecard:
    title: "New Year e-card"
    owner: "Jo <jo@acme.test>"
    parties: [advisers, sales]
    summary: "E-card sent to 40,000 customers"
  promo:
    owner: "Jo <jo@acme.test>"
    parties: [sales]
    summary: "Spring promotion"
    effective: 2026-12-03
`;

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

/** A map, a server that defers every recipient while `deferring`, and runs at a given time. */
async function world() {
  const dir = scratchDir();
  writeMap(dir, MAP);
  const state = { deferring: false };
  const server = (smtp = await startSmtp({ onRcpt: () => (state.deferring ? smtpError(451, 'try again later') : undefined) }));
  const logFile = path.join(dir, '.notify', 'log.jsonl');
  return {
    state,
    server,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    events: (kind: string) => readLogEvents(dir).filter((e) => e.event === kind),
    at: (iso: string, args: string[]) => runNotify(args, { cwd: dir, env: { NOTIFY_SMTP_URL: server.url, NOTIFY_DECIDED_BY: 'Ana' }, now: () => new Date(iso) }),
  };
}

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('notify:'));

describe('a move to the date already in force', () => {
  it('is refused however the date is written: "2027-01-21 00:00" is the "2027-01-21" in force (nothing sent, log untouched)', async () => {
    const w = await world();
    expect((await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-21', '--yes'])).code).toBe(0);
    const mail = w.server.received.length;
    const log = w.log();
    for (const same of ['2027-01-21 00:00', '2027-01-21T00:00']) {
      const r = await w.at('2026-12-10T09:00:00Z', ['amend', 'ecard', '--correction', 'Same day', '--effective', same, '--reason', 'r', '--yes']);
      expect(r.code, r.stderr).toBe(2);
      expect(errorLines(r.stderr)).toEqual([`notify: --effective ${same}: ecard already takes effect then; nothing was sent`]);
    }
    expect(w.server.received.length).toBe(mail);
    expect(w.log()).toBe(log);
  });
});
