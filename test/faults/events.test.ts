/**
 * The record never lies: a line that is JSON but not a valid event stops every reader at its
 * file:line (exit 2, nothing sent); a whole last event that only lacks its newline is kept and
 * counted; a resend reuses the Message-ID the log recorded. The line of the issue goes through
 * every reader of the built CLI (its exit code and stderr line); the other cases run the same
 * commands in-process (runHere), where what they attack is the reading, not the process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../src/domain/deliveries.js';
import { smtpError, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { runNotify } from '../helpers/workspace.js';
import { ANN, BOB, CAT, EVERYONE, events, logFile, logText, project, runHere, sentInLog, spawnCli } from './fixture.js';

// One connection, so messages go out in map order: ann, bob, cat.
const SERIAL = ['max_connections: 1', 'retry_delays_seconds: [0]'];
const TS = '2026-05-04T10:00:00.000Z';

describe('after a first close (ann and cat sent, bob refused)', () => {
  let smtp: TestSmtp;
  let refuseBob: boolean;
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    refuseBob = true;
    smtp = await startSmtp({ onRcpt: (a) => (refuseBob && a === BOB ? smtpError(550, 'no such user') : undefined) });
    env = { NOTIFY_SMTP_URL: smtp.url };
    // A first run: ann and cat sent, bob refused; the project stays open.
    dir = project(SERIAL);
    const first = await runNotify(['close', 'launch', '--yes'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(1);
    expect(smtp.received).toHaveLength(2);
    refuseBob = false;
  });
  afterEach(() => smtp.close());

  /** The log with `line` put in as line `n` (1-based). */
  function insertLine(n: number, line: string): void {
    const lines = logText(dir).split('\n');
    lines.splice(n - 1, 0, line);
    fs.writeFileSync(logFile(dir), lines.join('\n'));
  }

  const cli = (...args: string[]) => spawnCli(args, dir, env);
  const here = (...args: string[]) => runHere(args, dir, env);

  /** Every command that reads the log; `--verify` reports problems as data, on stdout, exit 1. */
  const READERS: string[][] = [['check', 'launch'], ['close', 'launch', '--yes'], ['close', 'launch', '--dry-run'], ['report', 'launch'], ['status'], ['status', 'launch'], ['log'], ['log', 'launch']];

  describe('a line that is JSON but not a valid event', () => {
    const sendLine = (drop: string) =>
      JSON.stringify(Object.fromEntries(Object.entries({ id: 'zz', ts: TS, event: 'notification.sent', project: 'launch', recipient: BOB, parties: ['sales'], message_id: '<m@example.com>', response: '250 ok' }).filter(([k]) => k !== drop)));

    it.each([
      ['a send with no recipient', sendLine('recipient'), 'notification.sent lacks "recipient"', here],
      // Otherwise in the writer's own layout: the fast path of status matches it, the validator refuses it.
      ['a send with no server response', sendLine('response'), 'notification.sent lacks "response"', here],
      ['the line of the issue (the built CLI)', '{"id":"zz","ts":"x","event":"notification.sent","project":"launch"}', 'notification.sent lacks "recipient", "parties", "message_id", "response"; "ts" is not an ISO 8601 date and time ("x")', cli],
    ])('%s: every reader stops at its file:line with exit 2, and nothing is sent', async (_what, line, problem, notify) => {
      insertLine(3, line);
      const before = logText(dir);
      for (const args of READERS) {
        const r = await notify(...args);
        const what = `notify ${args.join(' ')}: ${r.stderr}`;
        expect(r.exitCode, what).toBe(2);
        expect(r.stderr, what).toContain(`.notify/log.jsonl:3:1: ${problem}`);
        expect(r.stderr, what).not.toContain('unexpected error');
      }
      const verify = await notify('log', '--verify');
      expect(verify.exitCode).toBe(1);
      expect(verify.stdout).toContain(`.notify/log.jsonl:3: ${problem}`);
      expect(verify.stderr).not.toContain('no problem');
      expect(smtp.received).toHaveLength(2);
      expect(logText(dir)).toBe(before);
    });

    it('an event kind from a newer notify is kept and ignored: no reader fails on it', async () => {
      insertLine(3, JSON.stringify({ id: 'nb', ts: TS, event: 'notification.opened', project: 'launch', recipient: ANN, pixel: { at: 1 } }));
      insertLine(4, JSON.stringify({ id: 'na', ts: TS, event: 'project.archived', project: 'launch', by: 'ann' }));
      for (const args of [['check', 'launch'], ['report', 'launch'], ['status'], ['status', 'launch'], ['close', 'launch', '--dry-run'], ['log', '--verify']]) {
        const r = await here(...args);
        const what = `notify ${args.join(' ')}: ${r.stderr}`;
        expect(r.exitCode === 0 || r.exitCode === 1, what).toBe(true);
        expect(r.stderr, what).not.toMatch(/unexpected error|log\.jsonl:[34]/);
      }
      const log = await here('log', 'launch', '--json');
      expect(log.exitCode, log.stderr).toBe(0);
      expect(JSON.parse(log.stdout).map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['notification.opened', 'project.archived']));
      const close = await here('close', 'launch', '--yes');
      expect(close.exitCode, close.stderr).toBe(0);
      for (const a of EVERYONE) expect(smtp.countFor(a)).toBe(1);
    });
  });

  describe('a whole last event with no newline', () => {
    it('is counted by every reader, kept by the next close (which adds the newline), and its recipient is not sent again', async () => {
      // The run ended with cat's result line: take its newline away.
      const text = logText(dir);
      const last = text.trimEnd().split('\n').at(-1)!;
      expect(JSON.parse(last)).toMatchObject({ event: 'notification.sent', recipient: CAT });
      fs.writeFileSync(logFile(dir), text.replace(/\n$/, ''));

      // Through the full read, the streamed fold and the index: support (cat) is told.
      for (const args of [['status', 'launch', '--json'], ['status', '--json']]) {
        const r = await here(...args);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stderr).not.toContain('incomplete');
        expect(JSON.parse(r.stdout)[0]).toMatchObject({ project: 'launch', notified: ['support'], failed: ['sales'], unknown: [] });
      }
      const check = await here('check', 'launch', '--json');
      expect(check.exitCode).toBe(1);
      expect(JSON.parse(check.stdout)).toMatchObject({ notified: ['support'], pending: [] });
      const verify = await here('log', '--verify');
      expect(verify.exitCode, verify.stdout).toBe(0);

      // Even asked to resend unknown outcomes, cat is not sent again: it was recorded as sent.
      const r = await here('close', 'launch', '--yes', '--resend-unknown');
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('incomplete');
      expect(smtp.countFor(CAT)).toBe(1);
      expect(smtp.countFor(BOB)).toBe(1);
      expect(logText(dir)).toContain(`${last}\n`);
      expect(sentInLog(dir)).toEqual(EVERYONE);
      expect(events(dir, 'project.closed')).toHaveLength(1);
    });
  });
});

describe('a resend after from: changed', () => {
  it('--resend-unknown sends the Message-ID of the first attempt, taken from the log', async () => {
    // A project of its own: bob's message reaches the server, whose reply to the dot is lost.
    let dropped: string | undefined;
    const lost = await startSmtp({
      onData: (raw, s) => {
        if (dropped !== undefined || s.envelope.rcptTo[0].address !== BOB) return undefined;
        dropped = messageIdHeader(raw);
        return 'drop';
      },
    });
    try {
      const own = project(SERIAL);
      const lostEnv = { NOTIFY_SMTP_URL: lost.url };
      const first = await runHere(['close', 'launch', '--yes'], own, lostEnv);
      expect(first.exitCode, first.stderr).toBe(1);
      expect(events(own, 'notification.unknown')).toMatchObject([{ recipient: BOB }]);
      const attempt = events(own, 'notification.attempt').find((e) => e.recipient === BOB);
      expect(dropped).toBe(attempt.message_id);

      const map = path.join(own, 'notify.yaml');
      fs.writeFileSync(map, fs.readFileSync(map, 'utf8').replace('projects@example.com', 'projects@example.org'));
      expect(messageIdFor('launch', BOB, { address: 'projects@example.org' })).not.toBe(dropped);

      const resend = await runHere(['close', 'launch', '--yes', '--resend-unknown'], own, lostEnv);
      expect(resend.exitCode, resend.stderr).toBe(0);
      const copies = lost.received.filter((m) => m.to[0] === BOB);
      expect(copies).toHaveLength(1);
      expect(copies[0].messageId).toBe(dropped);
      expect(copies[0].from).toBe('projects@example.org');
      expect(events(own, 'notification.sent').find((e) => e.recipient === BOB).message_id).toBe(dropped);
    } finally {
      await lost.close();
    }
  });
});

/** The Message-ID header of a raw message, unfolded (as test/helpers/smtp.ts reads it). */
function messageIdHeader(raw: string): string {
  return (/^Message-ID:((?:.*)(?:\r\n[ \t].*)*)/im.exec(raw)?.[1] ?? '').replace(/\r\n[ \t]+/g, ' ').trim();
}
