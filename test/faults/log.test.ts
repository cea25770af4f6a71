/**
 * Guarantee 2: the log is the record. A torn last line (one that does not parse) is dropped
 * with a warning and never counted, a whole one missing only its newline is kept and counted;
 * conflict markers or garbage in the middle stop the run with file:line (exit 2);
 * a log that cannot be written means nothing is sent (exit 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNotify } from '../helpers/workspace.js';
import { smtpError, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { ANN, BOB, CAT, EVERYONE, events, logFile, logText, project, sentInLog, spawnCli } from './fixture.js';
import { unprivileged } from './other-user.js';

let smtp: TestSmtp;
let refuseBob: boolean;
let dir: string;
let env: Record<string, string>;
beforeEach(async () => {
  refuseBob = true;
  smtp = await startSmtp({ onRcpt: (a) => (refuseBob && a === BOB ? smtpError(550, 'no such user') : undefined) });
  env = { NOTIFY_SMTP_URL: smtp.url };
  // A first run: ann and cat sent, bob refused, the project stays open.
  dir = project();
  const first = await runNotify(['close', 'launch', '--yes'], { cwd: dir, env });
  expect(first.code).toBe(1);
  expect(smtp.received).toHaveLength(2);
  refuseBob = false;
});
afterEach(() => smtp.close());

const close = (...args: string[]) => runNotify(['close', 'launch', '--yes', ...args], { cwd: dir, env });
const line = (e: object) => JSON.stringify({ id: `x-${Math.random()}`, ts: new Date().toISOString(), project: 'launch', parties: ['sales'], message_id: '<m@example.com>', ...e });

describe('a damaged log', () => {
  it('a torn last line (a crash mid-write) is removed with a warning and never counted as a send', async () => {
    fs.appendFileSync(logFile(dir), `${line({ event: 'notification.attempt', recipient: BOB })}\n`);
    fs.appendFileSync(logFile(dir), line({ event: 'notification.sent', recipient: BOB, response: '250 ok' }).slice(0, 60));
    const r = await close();
    expect(r.stderr).toMatch(/\.notify\/log\.jsonl(:\d+)?: the last line (is|was) incomplete/);
    // The attempt without a result is unknown: neither counted nor resent.
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bob@example\.com: unknown/);
    expect(smtp.countFor(BOB)).toBe(0);
    expect(sentInLog(dir)).toEqual([ANN, CAT]);
    expect(logText(dir).endsWith('\n')).toBe(true);
    const resend = await close('--resend-unknown');
    expect(resend.code, resend.stderr).toBe(0);
    for (const a of EVERYONE) expect(smtp.countFor(a)).toBe(1);
  });

  it('a whole event as the last line, with no newline, was written: it counts, and the newline is added', async () => {
    fs.appendFileSync(logFile(dir), `${line({ event: 'notification.attempt', recipient: BOB })}\n`);
    const sent = line({ event: 'notification.sent', recipient: BOB, response: '250 ok' });
    fs.appendFileSync(logFile(dir), sent);
    const r = await close();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('incomplete');
    expect(sentInLog(dir)).toEqual([ANN, BOB, CAT]);
    expect(smtp.countFor(BOB)).toBe(0);
    expect(logText(dir)).toContain(`${sent}\n`);
  });

  it('a valid last line longer than 64 KiB is kept', async () => {
    const long = line({ event: 'close.planned', project: 'other', actions: [], parties: [], skipped: [], summary: 'x', details: 'y'.repeat(100_000) });
    fs.appendFileSync(logFile(dir), `${long}\n`);
    const r = await close();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('incomplete');
    expect(logText(dir)).toContain(long);
  });

  it('a last line zero-filled by the file system after a crash is removed too, so it never ends up mid-log', async () => {
    fs.appendFileSync(logFile(dir), `${'\0'.repeat(40)}\n`);
    const r = await close();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the last line');
    expect(logText(dir)).not.toContain('\0');
    for (const a of EVERYONE) expect(smtp.countFor(a)).toBe(1);
    const again = await close();
    expect(again.code, again.stderr).toBe(0);
  });

  it('a torn line meant for another project is reported all the same', async () => {
    const lines = logText(dir).split('\n');
    lines.splice(1, 0, '{"id":"y","ts":"2026-01-01T00:00:00.000Z","project":"other","event":"notif');
    fs.writeFileSync(logFile(dir), lines.join('\n'));
    const r = await close();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.notify/log.jsonl:2:1: not a valid log event');
    expect(smtp.received).toHaveLength(2);
  });

  it('a conflict marker in the middle: error with its line number, exit 2, nothing sent', async () => {
    const lines = logText(dir).split('\n');
    lines.splice(3, 0, '<<<<<<< HEAD');
    fs.writeFileSync(logFile(dir), lines.join('\n'));
    const before = logText(dir);
    const r = await close();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.notify/log.jsonl:4:1: merge conflict marker in the log');
    expect(smtp.received).toHaveLength(2);
    expect(logText(dir)).toBe(before);
  });

  it('garbage in the middle: error with its line number, exit 2, nothing sent', async () => {
    const lines = logText(dir).split('\n');
    lines.splice(2, 0, '{"id": "half a line');
    fs.writeFileSync(logFile(dir), lines.join('\n'));
    const r = await close();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.notify/log.jsonl:3:1: not a valid log event');
    expect(smtp.received).toHaveLength(2);
  });
});

describe('a log that cannot be written', () => {
  // root ignores file modes: run the CLI as an unprivileged user then, from copies it can read.
  const asUser = unprivileged();
  const makeReadable = () => {
    fs.chmodSync(dir, 0o755);
    for (const f of fs.readdirSync(dir)) if (fs.statSync(path.join(dir, f)).isFile()) fs.chmodSync(path.join(dir, f), 0o644);
    fs.chmodSync(logFile(dir), 0o644);
  };

  it('a read-only log directory: exit 2, nothing sent, the log unchanged', async () => {
    makeReadable();
    fs.chmodSync(path.dirname(logFile(dir)), 0o555);
    const before = logText(dir);
    const r = await spawnCli(['close', 'launch', '--yes'], dir, env, asUser);
    fs.chmodSync(path.dirname(logFile(dir)), 0o755);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain('.notify/log.jsonl.lock: cannot take the lock (EACCES); nothing was sent');
    expect(smtp.received).toHaveLength(2);
    expect(logText(dir)).toBe(before);
  });

  it('a read-only log file: exit 2, nothing sent', async () => {
    makeReadable();
    fs.chmodSync(path.dirname(logFile(dir)), 0o777);
    fs.chmodSync(logFile(dir), 0o444);
    const before = logText(dir);
    const r = await spawnCli(['close', 'launch', '--yes'], dir, env, asUser);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain('the log cannot be written durably (EACCES); nothing was sent');
    expect(smtp.received).toHaveLength(2);
    expect(logText(dir)).toBe(before);
    expect(events(dir).length).toBeGreaterThan(0);
  });
});
