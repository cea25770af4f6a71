import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { smtpError, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { readLogEvents, runNotify, spawnNotify, tempDir, writeMap } from '../helpers/workspace.js';
import { CSV_COLUMNS } from '../../src/app/report/csv.js';
import { parseCsv } from './csv-parse.js';

const MAP = `version: 1
organization: Acme
from: "Projects <projects@acme.test>"
actions:
  customer-email: { description: "E-mail sent to customers" }
  pricing: { description: "Change of price" }
parties:
  support:
    name: Customer support
    contacts: ["Marie <marie@acme.test>", "support@acme.test"]
    affected_by: [customer-email, pricing]
  sales:
    name: Sales
    contacts: ["sales@acme.test"]
    affected_by: [pricing]
  boss:
    name: Direction
    contacts: ["boss@acme.test"]
    always: true
projects:
  launch:
    title: "Spring launch"
    actions: [customer-email, pricing]
  later:
    title: "Not started"
`;

const SUMMARY = 'Prices, "spring" offer, and e-mail to 10,000 customers';
const SKIP_REASON = 'told in person, on Monday; "no mail needed"';

describe('notify report', () => {
  let smtp: TestSmtp;
  let dir: string;
  let reject: string | undefined;
  beforeEach(async () => {
    reject = undefined;
    smtp = await startSmtp({ onRcpt: (a) => (a === reject ? smtpError(550, '5.1.1 mailbox unavailable') : undefined) });
    dir = tempDir();
    writeMap(dir, MAP);
  });
  afterEach(async () => {
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const close = () =>
    runNotify(['close', 'launch', '--yes', '--summary', SUMMARY, '--skip', `sales=${SKIP_REASON}`], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url, NOTIFY_DECIDED_BY: 'alice' } });
  const report = (...args: string[]) => runNotify(['report', 'launch', ...args], { cwd: dir });

  it('json: who was told, when, where, with which Message-ID and response; who was skipped and who decided', async () => {
    expect((await close()).code).toBe(0);
    const r = await report('--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const events = readLogEvents(dir);
    const planned = events.find((e) => e.event === 'close.planned');
    const closed = events.find((e) => e.event === 'project.closed');
    expect(j).toMatchObject({ project: 'launch', title: 'Spring launch', status: 'closed', decided: true, decided_by: 'alice', decided_at: planned.ts, closed_at: closed.ts, summary: SUMMARY });
    expect(j.actions).toEqual([{ id: 'customer-email', description: 'E-mail sent to customers' }, { id: 'pricing', description: 'Change of price' }]);
    expect(j.skipped).toEqual([{ party: 'sales', name: 'Sales', reason: SKIP_REASON }]);
    expect(j.parties).toEqual([
      { id: 'support', name: 'Customer support', status: 'told' },
      { id: 'boss', name: 'Direction', status: 'told' },
      { id: 'sales', name: 'Sales', status: 'skipped', reason: SKIP_REASON },
    ]);
    const sent = events.filter((e) => e.event === 'notification.sent');
    expect(j.recipients).toHaveLength(3);
    for (const e of sent) {
      const rec = j.recipients.find((x: any) => x.address === e.recipient);
      expect(rec).toEqual({ address: e.recipient, parties: e.parties, status: 'sent', at: e.ts, message_id: e.message_id, response: e.response, via: 'smtp', attempts: 1 });
      expect(rec.response).toContain('queued as test');
    }
    // The Message-IDs are those the server received.
    expect(j.recipients.map((x: any) => x.message_id).sort()).toEqual(smtp.received.map((m) => m.messageId).sort());
  });

  it('csv: one row per recipient and per skipped party, commas and quotes quoted', async () => {
    expect((await close()).code).toBe(0);
    const r = await report('--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`"${SUMMARY.replace(/"/g, '""')}"`);
    const rows = parseCsv(r.stdout);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const records = rows.slice(1).map((row) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]])));
    expect(records).toHaveLength(4);
    for (const rec of records) expect(rec).toMatchObject({ project: 'launch', project_status: 'closed', decided_by: 'alice', summary: SUMMARY });
    expect(records.filter((x) => x.status === 'sent').map((x) => x.recipient).sort()).toEqual(['boss@acme.test', 'marie@acme.test', 'support@acme.test']);
    expect(records.find((x) => x.status === 'skipped')).toMatchObject({ party: 'sales', recipient: '', note: SKIP_REASON });
    const marie = records.find((x) => x.recipient === 'marie@acme.test')!;
    expect(marie.message_id).toMatch(/^<notify\.launch\.[0-9a-f]+@acme\.test>$/);
    expect(marie.via).toBe('smtp');
  });

  it('md: every recipient, the skip and its reason, who decided, and that it is closed', async () => {
    expect((await close()).code).toBe(0);
    const r = await report();
    expect(r.code).toBe(0);
    for (const a of ['marie@acme.test', 'support@acme.test', 'boss@acme.test']) expect(r.stdout).toContain(`| ${a} |`);
    expect(r.stdout).toContain('**Status:** CLOSED');
    expect(r.stdout).toContain('**Decided by:** alice');
    expect(r.stdout).toContain(`| sales | Sales | ${SKIP_REASON} |`);
    for (const id of smtp.received.map((m) => m.messageId)) expect(r.stdout).toContain(`| \`${id}\` |`);
  });

  it('an open close: sent, failed and the reason, stated as open; exit 0', async () => {
    reject = 'boss@acme.test';
    expect((await close()).code).toBe(1);
    const j = JSON.parse((await report('--format', 'json')).stdout);
    expect(j.status).toBe('open');
    expect(j.closed_at).toBeUndefined();
    const boss = j.recipients.find((x: any) => x.address === 'boss@acme.test');
    expect(boss).toMatchObject({ status: 'failed', attempts: 1 });
    expect(boss.note).toContain('550');
    expect(j.parties.find((p: any) => p.id === 'boss').status).toBe('failed');
    const md = await report();
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('**Status:** OPEN: 1 party is not told yet (boss)');
    expect(md.stdout).toMatch(/\| boss@acme\.test \| boss \| failed \|/);
  });

  it('a project of the map not started yet is reported as open; an unknown project is exit 2', async () => {
    const later = await runNotify(['report', 'later', '--format', 'json'], { cwd: dir });
    expect(later.code).toBe(0);
    expect(JSON.parse(later.stdout)).toMatchObject({ project: 'later', status: 'open', decided: false, recipients: [] });
    const md = await runNotify(['report', 'later'], { cwd: dir });
    expect(md.stdout).toContain('the close has not started');
    const unknown = await runNotify(['report', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe('notify: unknown project "nope"');
    expect(unknown.stdout).toBe('');
    const typo = await runNotify(['report', 'latre'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr.split('\n')[0]).toBe('notify: unknown project "latre" (did you mean "later"?)');
  });

  it('the built binary: Markdown on stdout with exit 0, an unknown project exit 2 with nothing on stdout', async () => {
    expect((await close()).code).toBe(0);
    const md = await spawnNotify(['report', 'launch'], { cwd: dir });
    expect(md.exitCode, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# Close-out report: launch \(Spring launch\)/);
    const unknown = await spawnNotify(['report', 'nope', '--format', 'json'], { cwd: dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stdout).toBe('');
  });
});
