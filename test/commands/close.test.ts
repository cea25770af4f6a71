import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { smtpError } from '../helpers/smtp.js';
import { counts, once, PROMO_RECIPIENTS, workspace, type Workspace } from '../fixtures/close-workspace.js';
import { SMALL_MAP } from '../fixtures/maps.js';

const CLOSE = ['close', 'promo', '--summary', 'New prices from 1 July', '--yes'];
let ws: Workspace;
afterEach(() => ws?.close());

describe('notify close, non-interactive, against a real SMTP server', () => {
  it('sends one message per person, logs every send and closes', async () => {
    ws = await workspace();
    const r = await ws.run(CLOSE);
    expect(r.code, r.stderr).toBe(0);
    expect(counts(ws.smtp)).toEqual(once(PROMO_RECIPIENTS));
    const marie = ws.smtp.received.find((m) => m.to[0] === 'marie@acme.test')!;
    // The fact first: the summary, not the project's title, and no "Done:".
    expect(marie.subject).toBe('[Acme] New prices from 1 July');
    expect(marie.raw).toContain('New prices from 1 July');
    expect(marie.raw).toMatch(/^X-Notify-Parties: support, sales$/m);
    expect(marie.from).toBe('projects@acme.test');

    const events = ws.events();
    expect(events).toHaveLength(1 + 4 * 2 + 1);
    expect(events[0].event).toBe('close.planned');
    for (const a of PROMO_RECIPIENTS) {
      // Write-ahead: the attempt is on disk before the send, the result after it.
      const mine = events.filter((e) => e.recipient === a).map((e) => e.event);
      expect(mine).toEqual(['notification.attempt', 'notification.sent']);
    }
    expect(events[0]).toMatchObject({ event: 'close.planned', project: 'promo', actions: ['pricing'], parties: ['support', 'sales', 'boss'], skipped: [], summary: 'New prices from 1 July' });
    const sent = events.filter((e) => e.event === 'notification.sent');
    expect(sent.map((e) => e.recipient).sort()).toEqual([...PROMO_RECIPIENTS].sort());
    for (const e of sent) {
      expect(e.response).toMatch(/^250/);
      expect(ws.smtp.received.find((m) => m.to[0] === e.recipient)!.messageId).toBe(e.message_id);
    }
    expect(events.at(-1)).toMatchObject({ event: 'project.closed', notified: ['support', 'sales', 'boss'], recipients: 4 });
    expect(r.stdout).toContain('promo is closed');
    expect(r.stdout).toMatch(/✔ support: told \(2 recipients\)/);
  });

  it('a 550 for one recipient keeps the project open; the rerun sends only to that recipient, then closes', async () => {
    let reject = true;
    ws = await workspace({ onRcpt: (a) => (reject && a === 'support@acme.test' ? smtpError(550, '5.1.1 mailbox unavailable') : undefined) });
    const first = await ws.run(CLOSE);
    expect(first.code).toBe(1);
    expect(`${first.stdout}${first.stderr}`).toContain('550');
    expect(`${first.stdout}${first.stderr}`).toContain('mailbox unavailable');
    expect(first.stdout).toContain('promo stays open');
    expect(first.stdout).toContain('support@acme.test: failed (550 5.1.1 mailbox unavailable)');
    // Refused for good: running again as is would fail the same way, so the advice names the contact's line.
    expect(first.stderr).toMatch(/support@acme\.test was refused for good \(550 5\.1\.1 mailbox unavailable\), so running again fails the same way: correct the address at notify\.yaml:\d+:\d+, then run `notify close promo` again/);
    expect(counts(ws.smtp)).toEqual(once(['marie@acme.test', 'sales@acme.test', 'boss@acme.test']));
    expect(ws.events().some((e) => e.event === 'project.closed')).toBe(false);
    expect(ws.events().find((e) => e.event === 'notification.failed')).toMatchObject({ recipient: 'support@acme.test', code: 550, permanent: true });

    const check = await ws.run(['check', 'promo', '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ closed: false, notified: ['sales', 'boss'], failed: ['support'] });

    reject = false;
    // The decisions are in the log: the rerun needs nothing but --yes.
    const second = await ws.run(['close', 'promo', '--yes']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('Resuming promo');
    expect(counts(ws.smtp)).toEqual(once(PROMO_RECIPIENTS));
    // The retried message keeps the Message-ID it was first attempted with.
    const failed = ws.events().find((e) => e.event === 'notification.failed');
    expect(ws.smtp.received.find((m) => m.to[0] === 'support@acme.test')!.messageId).toBe(failed.message_id);
    expect(ws.events().filter((e) => e.event === 'close.planned')).toHaveLength(1);
    expect(ws.events().at(-1)).toMatchObject({ event: 'project.closed', notified: ['support', 'sales', 'boss'] });
  });

  it('after a failure, --dry-run shows only what is still to send, and the log tells the story', async () => {
    let reject = true;
    ws = await workspace({ onRcpt: (a) => (reject && a === 'sales@acme.test' ? smtpError(550, 'no such user') : undefined) });
    expect((await ws.run(CLOSE)).code).toBe(1);
    const lines = ws.events().length;
    const dry = await ws.run(['close', 'promo', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('1 message would be sent');
    expect(dry.stdout).toContain('To: sales@acme.test');
    expect(dry.stdout).not.toContain('To: marie@acme.test');
    expect(ws.events()).toHaveLength(lines);
    const log = await ws.run(['log', 'promo']);
    expect(log.stdout).toMatch(/notification\.failed  sales@acme\.test 550 no such user\n/);
    const status = await ws.run(['status']);
    expect(status.stdout).toMatch(/promo .*closing/);
    expect(status.stdout).toMatch(/told: support, boss {2}failed: sales/);
    reject = false;
    expect((await ws.run(['close', 'promo', '--yes'])).code).toBe(0);
    expect(counts(ws.smtp)).toEqual(once(PROMO_RECIPIENTS));
  });

  it('a second close of a closed project says so, exits 0 and sends nothing', async () => {
    ws = await workspace();
    expect((await ws.run(CLOSE)).code).toBe(0);
    const lines = ws.events().length;
    const again = await ws.run(CLOSE);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/promo was closed on .*; nothing to send/);
    expect(ws.smtp.received).toHaveLength(4);
    expect(ws.events()).toHaveLength(lines);
  });

  it('--dry-run renders every message, sends nothing, writes no log and needs no --yes', async () => {
    ws = await workspace();
    const r = await ws.run(['close', 'promo', '--summary', 'New prices', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('4 messages would be sent');
    for (const a of PROMO_RECIPIENTS) expect(r.stdout).toContain(`To: ${a}`);
    expect(r.stdout).toContain('[support, sales]');
    expect(r.stdout).toContain('Subject: [Acme] New prices\n');
    expect(ws.smtp.received).toEqual([]);
    expect(ws.logExists()).toBe(false);
  });

  it('--dry-run works with no SMTP configured', async () => {
    ws = await workspace();
    const r = await ws.run(['close', 'promo', '--summary', 'New prices', '--dry-run'], { env: { NOTIFY_SMTP_URL: undefined } });
    expect(r.code, r.stderr).toBe(0);
    expect(ws.logExists()).toBe(false);
  });
});

describe('notify close refuses bad input with exit 2 and sends nothing', () => {
  const refused = async (args: string[], message: RegExp, env?: Record<string, string | undefined>) => {
    const r = await ws.run(args, { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(ws.smtp.received).toEqual([]);
    expect(ws.events().filter((e) => e.event !== 'close.planned')).toEqual([]);
    return r;
  };

  it.each([
    ['--summary missing', ['close', 'promo', '--yes'], /--summary/],
    ['--action missing for an ad-hoc project', ['close', 'adhoc', '--title', 'Ad hoc', '--summary', 'x', '--yes'], /--action/],
    ['an unknown project without --title', ['close', 'promoo', '--action', 'pricing', '--summary', 'x', '--yes'], /^notify: unknown project "promoo" \(did you mean "promo"\?\)\n {2}.*--title/],
    ['--yes missing without a terminal', ['close', 'promo', '--summary', 'x'], /--yes/],
    ['--skip of an always party', ['close', 'promo', '--summary', 'x', '--skip', 'boss=no need', '--yes'], /--skip boss: "Direction" is informed of every closure and cannot be skipped/],
    ['--skip without a reason', ['close', 'promo', '--summary', 'x', '--skip', 'sales', '--yes'], /--skip sales needs a reason/],
    ['--skip with an empty reason', ['close', 'promo', '--summary', 'x', '--skip', 'sales=', '--yes'], /--skip sales needs a reason/],
    ['--skip of an unknown party', ['close', 'promo', '--summary', 'x', '--skip', 'sale=x', '--yes'], /--skip sale: no such party in the map \(did you mean "sales"\?\)/],
    ['--action unknown', ['close', 'promo', '--action', 'pricng', '--summary', 'x', '--yes'], /--action pricng: no such action in the map \(did you mean "pricing"\?\)/],
    ['--party unknown', ['close', 'promo', '--party', 'legl', '--summary', 'x', '--yes'], /--party legl: no such party/],
    ['a project id that is not a slug', ['close', 'Promo 2027', '--summary', 'x', '--yes'], /project id "Promo 2027" is not a simple id/],
    ['an empty --summary', ['close', 'promo', '--summary', '  ', '--yes'], /the summary is empty/],
    ['CR/LF in --summary', ['close', 'promo', '--summary', 'New prices\r\nBcc: victim@evil.test', '--yes'], /--summary contains a line break/],
    ['LF in --summary', ['close', 'promo', '--summary', 'New prices\nBcc: victim@evil.test', '--yes'], /--summary contains a line break/],
    ['CR/LF in --title', ['close', 'adhoc', '--action', 'pricing', '--title', 'T\r\nBcc: victim@evil.test', '--summary', 'x', '--yes'], /--title contains a line break/],
    ['CR/LF in a --skip reason', ['close', 'promo', '--summary', 'x', '--skip', 'sales=a\r\nBcc: victim@evil.test', '--yes'], /--skip sales: keep the reason on one line/],
  ])('%s', async (_what, args, message) => {
    ws = await workspace();
    await refused(args, message);
    expect(ws.logExists()).toBe(false);
  });

  it('no SMTP configured: exit 2 with how to configure it and a hint to --dry-run', async () => {
    ws = await workspace();
    const r = await refused(CLOSE, /no SMTP server is configured/, { NOTIFY_SMTP_URL: undefined });
    expect(r.stderr).toContain('NOTIFY_SMTP_URL');
    expect(r.stderr).toContain('--dry-run');
    expect(ws.logExists()).toBe(false);
  });

  it('an invalid map: exit 2 with file:line, nothing sent', async () => {
    ws = await workspace();
    fs.appendFileSync(path.join(ws.dir, 'notify.yaml'), 'extra: 1\n');
    const r = await refused(CLOSE, /^notify: notify\.yaml:\d+:1: unknown key "extra" in the map$/m);
    expect(r.stderr).toContain('nothing was sent');
  });

  it('a --skip with a reason is recorded and the party is not told', async () => {
    ws = await workspace();
    const r = await ws.run([...CLOSE, '--skip', 'sales=told at the weekly meeting']);
    expect(r.code, r.stderr).toBe(0);
    expect(counts(ws.smtp)).toEqual(once(['marie@acme.test', 'support@acme.test', 'boss@acme.test']));
    expect(ws.events()).toContainEqual(expect.objectContaining({ event: 'party.skipped', party: 'sales', reason: 'told at the weekly meeting' }));
    expect(ws.events()[0]).toMatchObject({ parties: ['support', 'boss'], skipped: [{ party: 'sales', reason: 'told at the weekly meeting' }] });
    expect(r.stdout).toMatch(/sales: skipped \(told at the weekly meeting\)/);
  });

  it('a template using an unknown variable: exit 2 at the template\'s file:line, nothing sent or logged', async () => {
    ws = await workspace({}, SMALL_MAP.replace('    name: Legal\n', '    name: Legal\n    template: legal.md\n'));
    fs.writeFileSync(path.join(ws.dir, 'legal.md'), '---\nsubject: "Closed: {{project.title}}"\n---\nHello,\n\n{{summery}}\n');
    const r = await ws.run([...CLOSE, '--party', 'legal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^notify: legal\.md:6:3: template uses unknown variable "summery"/m);
    expect(ws.smtp.received).toEqual([]);
    expect(ws.logExists()).toBe(false);
  });

  it('--details-file puts the details in every message, as plain text in the text part and HTML (escaped) in the other', async () => {
    ws = await workspace();
    fs.writeFileSync(path.join(ws.dir, 'details.md'), 'Customers will ask about **<promo>** codes.\n');
    const r = await ws.run([...CLOSE, '--details-file', 'details.md']);
    expect(r.code, r.stderr).toBe(0);
    const raw = ws.smtp.received[0].raw.replace(/=\r\n/g, '').replace(/=3D/g, '=');
    expect(raw).toContain('Customers will ask about <promo> codes.');
    expect(raw).not.toContain('**');
    expect(raw).toContain('Customers will ask about <strong>&lt;promo&gt;</strong> codes.');
    expect(ws.events()[0].details).toBe('Customers will ask about **<promo>** codes.');
  });

  it('a rerun after a party chosen in the log was removed from the map: exit 2 naming it, nothing more sent', async () => {
    ws = await workspace({ onRcpt: (a) => (a === 'boss@acme.test' ? smtpError(550, 'no such user') : undefined) });
    expect((await ws.run(CLOSE)).code).toBe(1);
    fs.writeFileSync(path.join(ws.dir, 'notify.yaml'), SMALL_MAP.replace('  sales:\n    name: Sales\n    contacts: ["sales@acme.test", "marie@acme.test"]\n    affected_by: [pricing]\n', ''));
    const r = await ws.run(['close', 'promo', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('party "sales" was chosen for promo but is no longer in the map');
    expect(r.stderr).toContain('put "sales" back under parties: in notify.yaml');
    expect(ws.smtp.received).toHaveLength(3);
  });

  it('an ad-hoc project (not in the map) closes with --action and --title', async () => {
    ws = await workspace();
    const r = await ws.run(['close', 'flash-sale', '--action', 'customer-email', '--title', 'Flash sale', '-m', 'One day only', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(counts(ws.smtp)).toEqual(once(['marie@acme.test', 'support@acme.test', 'boss@acme.test']));
    expect(ws.smtp.received[0].subject).toBe('[Acme] One day only');
    expect(ws.events()[0]).toMatchObject({ project: 'flash-sale', title: 'Flash sale', actions: ['customer-email'] });
    const status = JSON.parse((await ws.run(['status', '--json'])).stdout);
    expect(status.find((s: any) => s.project === 'flash-sale')).toMatchObject({ title: 'Flash sale', closed: true });
  });

  it('--party adds a party no rule selects', async () => {
    ws = await workspace();
    const r = await ws.run([...CLOSE, '--party', 'legal']);
    expect(r.code, r.stderr).toBe(0);
    expect(counts(ws.smtp)).toEqual(once([...PROMO_RECIPIENTS, 'legal@acme.test']));
  });
});
