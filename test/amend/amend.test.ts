/**
 * `notify amend` with the built binary against a loopback SMTP server: a party left out is told
 * exactly once and nobody else, a correction reaches everyone told once, threaded under the
 * message they received and marked in their language, and the log, check, status and report
 * say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { amendWorld, CLOSE_TOLD, header, tally, type AmendWorld } from './fixture.js';

let world: AmendWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function closed(): Promise<AmendWorld> {
  world = await amendWorld();
  const close = await world.quick(['close', 'voeux-2027', '--yes']);
  expect(close.exitCode, close.stderr).toBe(0);
  expect(tally(world.smtp.received)).toEqual(Object.fromEntries(CLOSE_TOLD.map((a) => [a, 1])));
  return world;
}

describe('notify amend --party: a party the close left out', () => {
  it('tells the forgotten party exactly once, nobody else; someone already told through another party is not told twice', async () => {
    const w = await closed();
    const before = w.smtp.received.length;
    const r = await w.run(['amend', 'voeux-2027', '--party', 'marketing', '--reason', 'left out of the close', '--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    // Marie is in marketing too, but was told as support: only the marketing list is written to.
    expect(tally(w.since(before))).toEqual({ 'mkt@acme.test': 1 });
    expect(r.stdout).toContain('voeux-2027 is closed again: everyone the amendment concerns was told.');
    expect(r.stdout).toMatch(/✔ marketing: told \(2 recipients\)/);

    const amended = w.events('close.amended');
    expect(amended).toEqual([expect.objectContaining({ project: 'voeux-2027', kind: 'parties', parties: ['marketing'], summary: 'E-card sent to 40,000 customers', reason: 'left out of the close', decided_by: 'Ana' })]);
    expect(typeof amended[0].id).toBe('string');
    expect(typeof amended[0].ts).toBe('string');
    // Logged like a close: attempt then sent, after the amendment and before the project is closed again.
    const kinds = w.events().map((e) => e.event);
    const at = kinds.indexOf('close.amended');
    expect(kinds.slice(at)).toEqual(['close.amended', 'notification.attempt', 'notification.sent', 'project.closed']);
    const [first, again] = w.events('project.closed');
    expect(first.notified).toEqual(['support', 'boss']);
    expect(again).toMatchObject({ notified: ['support', 'boss', 'marketing'], recipients: 4 });
    // A Message-ID of its own, not the close's.
    const sent = w.since(before)[0];
    const closeIds = w.events('notification.sent').filter((e) => e.recipient !== 'mkt@acme.test').map((e) => e.message_id);
    expect(closeIds).not.toContain(sent.messageId);
    expect(sent.messageId).toMatch(/^<notify\.voeux-2027\.a1\.[0-9a-f]{24}@acme\.test>$/);
    expect(header(sent.raw, 'In-Reply-To')).toBeUndefined();

    const check = await w.quick(['check', 'voeux-2027']);
    expect(check.exitCode, check.stdout).toBe(0);
    const verify = await w.quick(['log', '--verify']);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
    // Closed again: another amend for the same party is refused, and a close sends nothing.
    const twice = await w.quick(['amend', 'voeux-2027', '--party', 'marketing', '--reason', 'again', '--yes']);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain('--party marketing: "Marketing" was already told');
    // marketing is now on record as told: naming it to close is no change.
    const close = await w.quick(['close', 'voeux-2027', '--party', 'marketing', '--yes']);
    expect(close.exitCode, close.stderr).toBe(0);
    expect(close.stderr).toContain('nothing to send');
    expect(w.smtp.received.length).toBe(before + 1);
  });
});

describe('notify amend --correction: to everyone already told', () => {
  it('reaches every recipient told once, threaded under the message each received, marked as a correction in their language', async () => {
    const w = await closed();
    const tell = await w.quick(['amend', 'voeux-2027', '--party', 'marketing', '--reason', 'left out', '--yes']);
    expect(tell.exitCode, tell.stderr).toBe(0);
    const received = new Map(w.smtp.received.map((m) => [m.to[0], m]));
    const before = w.smtp.received.length;

    const r = await w.run(['amend', 'voeux-2027', '--correction', 'The e-card goes out on 6 January, not 5', '--reason', 'wrong date in the first message', '--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    const corrections = w.since(before);
    expect(tally(corrections)).toEqual({ 'boss@acme.test': 1, 'marie@acme.test': 1, 'mkt@acme.test': 1, 'support@acme.test': 1 });
    for (const m of corrections) {
      const original = received.get(m.to[0])!;
      expect(header(m.raw, 'In-Reply-To')).toBe(original.messageId);
      expect(header(m.raw, 'References')).toBe(original.messageId);
      expect(m.messageId).not.toBe(original.messageId);
      expect(m.raw).toContain('6 January, not 5');
    }
    // mkt@ is only in marketing (French): "Correction : " with a no-break space; the others in English.
    expect(corrections.find((m) => m.to[0] === 'mkt@acme.test')!.subject).toMatch(/^Correction\u00a0: /);
    for (const to of CLOSE_TOLD) expect(corrections.find((m) => m.to[0] === to)!.subject).toMatch(/^Correction: /);

    const amended = w.events('close.amended');
    expect(amended[1]).toMatchObject({ kind: 'correction', summary: 'The e-card goes out on 6 January, not 5', reason: 'wrong date in the first message', parties: ['support', 'marketing', 'boss'] });
    expect(w.events('project.closed')).toHaveLength(3);
    const check = await w.quick(['check', 'voeux-2027', '--json']);
    expect(check.exitCode).toBe(0);
    const gate = JSON.parse(check.stdout);
    expect(gate).toMatchObject({ closed: true, notified: ['support', 'boss', 'marketing'] });
    expect(gate).not.toHaveProperty('amendment');

    // The report shows the amendments in order, in every format.
    const md = (await w.quick(['report', 'voeux-2027'])).stdout;
    const one = md.indexOf('### 1. Told marketing, ');
    const two = md.indexOf('### 2. Correction to everyone told, ');
    expect(one).toBeGreaterThan(md.indexOf('## Amendments'));
    expect(two).toBeGreaterThan(one);
    expect(md.slice(two)).toContain('- **Correction:** The e-card goes out on 6 January, not 5');
    expect(md.slice(two)).toContain('- **Reason:** wrong date in the first message');
    expect(md.slice(one, two)).toContain('| mkt@acme.test | marketing | sent |');
    expect(md).toMatch(/- \*\*Parties:\*\* 3 told, 0 skipped, 0 not told/);
    const json = JSON.parse((await w.quick(['report', 'voeux-2027', '--format', 'json'])).stdout);
    expect(json.amendments.map((a: any) => [a.number, a.kind, a.status, a.decided_by, a.recipients.length])).toEqual([
      [1, 'parties', 'done', 'Ana', 1],
      [2, 'correction', 'done', 'Ana', 4],
    ]);
    expect(json.amendments[1].recipients.map((x: any) => x.message_id)).toEqual(corrections.map((m) => m.messageId));
    const csv = (await w.quick(['report', 'voeux-2027', '--format', 'csv'])).stdout.trim().split('\r\n');
    expect(csv[0].split(',').at(-1)).toBe('amendment');
    expect(csv.slice(1).map((row) => row.split(',').at(-1))).toEqual(['', '', '', '1', '2', '2', '2', '2']);
  });

  it('--details-file goes into the body; the correction subject wraps the rendered one', async () => {
    const w = await closed();
    const original = w.smtp.received.find((m) => m.to[0] === 'support@acme.test')!;
    const fs = await import('node:fs');
    fs.writeFileSync(`${w.dir}/fix.md`, 'The **date** in the first message was wrong.\n');
    const before = w.smtp.received.length;
    const r = await w.run(['amend', 'voeux-2027', '--correction', 'New date: 6 January', '--details-file', 'fix.md', '--reason', 'wrong date', '--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    const fix = w.since(before).find((m) => m.to[0] === 'support@acme.test')!;
    // The template renders the correction's own fact; the marker wraps it.
    expect(original.subject).toBe('[Acme] E-card sent to 40,000 customers');
    expect(fix.subject).toBe('Correction: [Acme] New date: 6 January');
    expect(fix.raw).toContain('<p>The <strong>date</strong> in the first message was wrong.</p>');
    expect(w.events('close.amended')[0].details).toBe('The **date** in the first message was wrong.');
  });
});
