import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readLogEvents, runNotify, tempDir, writeMap } from '../helpers/workspace.js';
import { RECIPIENTS, transportMap } from './maps.js';

/** A fake MTA: appends one JSON line per call with its argv and stdin, then exits with FAKE_EXIT for FAKE_FAIL_RCPT. */
function writeFakeSendmail(dir: string): string {
  const file = path.join(dir, 'fake-sendmail.mjs');
  fs.writeFileSync(
    file,
    `#!${process.execPath}
import fs from 'node:fs';
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(path.join(dir, 'calls.jsonl'))}, JSON.stringify({ argv, stdin: Buffer.concat(chunks).toString('base64') }) + '\\n');
if (process.env.FAKE_KILL_RCPT && argv.at(-1) === process.env.FAKE_KILL_RCPT) process.kill(process.pid, 'SIGKILL');
if (process.env.FAKE_FAIL_RCPT && argv.at(-1) === process.env.FAKE_FAIL_RCPT) {
  process.stderr.write('550 5.1.1 ' + argv.at(-1) + ': user unknown\\n');
  process.exit(Number(process.env.FAKE_EXIT ?? 67));
}
`,
  );
  fs.chmodSync(file, 0o755);
  return file;
}

function calls(dir: string): { argv: string[]; stdin: Buffer }[] {
  const file = path.join(dir, 'calls.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
    const c = JSON.parse(l);
    return { argv: c.argv, stdin: Buffer.from(c.stdin, 'base64') };
  });
}

describe('sendmail transport', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
    writeFakeSendmail(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hands each message to the MTA with -i -f FROM -- RCPT and records it as handed over', async () => {
    writeMap(dir, transportMap('transport: { kind: sendmail, sendmail_path: ./fake-sendmail.mjs }\n'));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const got = calls(dir);
    expect(got.map((c) => c.argv.at(-1)).sort()).toEqual([...RECIPIENTS].sort());
    for (const c of got) {
      expect(c.argv.slice(0, 4)).toEqual(['-i', '-f', 'projects@acme.test', '--']);
      const text = c.stdin.toString('utf8');
      expect(text).not.toContain('\r');
      expect(text).toMatch(new RegExp(`^To: .*${c.argv.at(-1)!.replace('.', '\\.')}`, 'm'));
      expect(text).toMatch(/^Message-ID: <notify\.launch\.[0-9a-f]+@acme\.test>$/m);
    }
    const sent = readLogEvents(dir).filter((e) => e.event === 'notification.sent');
    expect(sent).toHaveLength(3);
    for (const e of sent) expect(e).toMatchObject({ via: 'sendmail', response: 'handed to the local MTA' });
    expect(readLogEvents(dir).at(-1).event).toBe('project.closed');
  });

  it('the message on stdin is the message SMTP would carry, with LF line endings', async () => {
    writeMap(dir, transportMap('transport: { kind: sendmail, sendmail_path: ./fake-sendmail.mjs }\n'));
    expect((await runNotify(['close', 'launch', '--yes'], { cwd: dir })).code).toBe(0);
    const out = path.join(dir, 'outbox-check');
    fs.mkdirSync(out);
    writeMap(dir, transportMap(`transport: { kind: file, dir: outbox-check }\n`));
    // Close the same project again from scratch through the file transport, which writes the exact SMTP bytes.
    fs.rmSync(path.join(dir, '.notify'), { recursive: true });
    expect((await runNotify(['close', 'launch', '--yes'], { cwd: dir })).code).toBe(0);
    const files = fs.readdirSync(out);
    expect(files).toHaveLength(3);
    for (const c of calls(dir)) {
      const eml = files.map((f) => fs.readFileSync(path.join(out, f))).find((b) => b.toString('utf8').includes(`To: ${c.argv.at(-1)}`) || b.toString('utf8').includes(`<${c.argv.at(-1)}>`))!;
      expect(eml, c.argv.at(-1)).toBeDefined();
      // Same content except the line endings and the Date header (the two closes ran at different times).
      const norm = (b: Buffer) => b.toString('utf8').replace(/\r\n/g, '\n').replace(/^Date: .*$/m, 'Date: -');
      expect(norm(c.stdin)).toBe(norm(eml));
    }
  });

  it('a non-zero exit is a failure with the MTA\'s stderr, and the project stays open', async () => {
    writeMap(dir, transportMap('transport: { kind: sendmail, sendmail_path: ./fake-sendmail.mjs }\n'));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir, env: { FAKE_FAIL_RCPT: 'boss@acme.test' } });
    expect(r.code).toBe(1);
    const events = readLogEvents(dir);
    const failed = events.filter((e) => e.event === 'notification.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ recipient: 'boss@acme.test', code: 67, permanent: true });
    expect(failed[0].text).toContain('550 5.1.1 boss@acme.test: user unknown');
    expect(events.filter((e) => e.event === 'notification.sent').map((e) => e.recipient).sort()).toEqual(['marie@acme.test', 'support@acme.test']);
    expect(events.some((e) => e.event === 'project.closed')).toBe(false);
  });

  it('an MTA killed after reading the message leaves the outcome unknown: never counted, never resent unasked', async () => {
    writeMap(dir, transportMap('transport: { kind: sendmail, sendmail_path: ./fake-sendmail.mjs }\n'));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir, env: { FAKE_KILL_RCPT: 'support@acme.test' } });
    expect(r.code).toBe(1);
    const unknown = readLogEvents(dir).filter((e) => e.event === 'notification.unknown');
    expect(unknown.map((e) => e.recipient)).toEqual(['support@acme.test']);
    expect(unknown[0].text).toContain('SIGKILL');
    const again = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(calls(dir).filter((c) => c.argv.at(-1) === 'support@acme.test')).toHaveLength(1);
    const resend = await runNotify(['close', 'launch', '--yes', '--resend-unknown'], { cwd: dir });
    expect(resend.code, resend.stderr).toBe(0);
    expect(calls(dir).filter((c) => c.argv.at(-1) === 'support@acme.test')).toHaveLength(2);
  });

  it('--transport sendmail beats the map, and a missing binary stops before anything is recorded', async () => {
    writeMap(dir, transportMap('transport: { kind: file, sendmail_path: ./no-such-sendmail }\n'));
    const r = await runNotify(['close', 'launch', '--yes', '--transport', 'sendmail'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-sendmail is not an executable file');
    expect(readLogEvents(dir)).toEqual([]);
    expect(fs.existsSync(path.join(dir, '.notify', 'outbox'))).toBe(false);
  });

  it('a sendmail name not found in PATH stops the close with exit 2', async () => {
    writeMap(dir, transportMap('transport: { kind: sendmail, sendmail_path: no-such-mta-here }\n'));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir, env: { PATH: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sendmail transport: no-such-mta-here is not found in PATH');
    expect(readLogEvents(dir)).toEqual([]);
  });

  it('a sendmail name is looked up in PATH', async () => {
    fs.renameSync(path.join(dir, 'fake-sendmail.mjs'), path.join(dir, 'my-mta'));
    // Without .mjs, an ES module needs "type": "module" (Node before 20.19 does not detect it).
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
    writeMap(dir, transportMap('transport: { kind: sendmail, sendmail_path: my-mta }\n'));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir, env: { PATH: `${dir}${path.delimiter}${process.env.PATH}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(calls(dir)).toHaveLength(3);
  });

  it('an unknown --transport is a usage error', async () => {
    writeMap(dir, transportMap());
    const r = await runNotify(['close', 'launch', '--yes', '--transport', 'pigeon'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(readLogEvents(dir)).toEqual([]);
  });
});
