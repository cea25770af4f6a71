/**
 * Guarantees 3, 4 and 6 with a real child process: the built CLI is killed (SIGKILL) after an
 * attempt line and before anything was transmitted, then rerun. The server counts what it
 * received; unknown is never counted as sent nor resent without being asked; the rerun takes
 * over the lock the killed run left.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { ANN, BOB, CAT, EVERYONE, events, killAtMailFrom, lockLeft, messageIdOf, project, sentInLog, spawnCli } from './fixture.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

// One connection, so messages go out in map order: ann, bob, cat.
const SERIAL = ['max_connections: 1', 'retry_delays_seconds: [0]'];

describe('killed with SIGKILL', () => {
  it('before a send (attempt logged, nothing transmitted): unknown on rerun, never resent until asked, then the same Message-ID', async () => {
    const killer = killAtMailFrom(2);
    smtp = await startSmtp({ onMailFrom: killer.onMailFrom });
    const dir = project(SERIAL);
    const env = { NOTIFY_SMTP_URL: smtp.url };
    const child = spawnCli(['close', 'launch', '--yes'], dir, env);
    killer.arm(child);
    const killed = await child;
    expect(killed.signal).toBe('SIGKILL');
    expect(smtp.countFor(ANN)).toBe(1);
    expect(smtp.countFor(BOB)).toBe(0);
    expect(sentInLog(dir)).toEqual([ANN]);
    expect(events(dir, 'notification.attempt').map((e) => e.recipient)).toEqual([ANN, BOB]);

    // The rerun takes over the lock the killed run left, sends what was never tried, and
    // reports bob as unknown instead of counting or resending him.
    const rerun = await spawnCli(['close', 'launch', '--yes'], dir, env);
    expect(rerun.exitCode, rerun.stderr).toBe(1);
    expect(rerun.stderr).toMatch(/the lock of \.notify\/log\.jsonl was left by a run that stopped \(pid \d+\)/);
    expect(rerun.stderr).toContain('an outcome is unknown');
    expect(rerun.stderr).toContain('--resend-unknown');
    expect(rerun.stdout).toMatch(/bob@example\.com: unknown/);
    expect(smtp.countFor(CAT)).toBe(1);
    expect(smtp.countFor(BOB)).toBe(0);
    expect(smtp.countFor(ANN)).toBe(1);

    const resend = await spawnCli(['close', 'launch', '--yes', '--resend-unknown'], dir, env);
    expect(resend.exitCode, resend.stderr).toBe(0);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(EVERYONE);
    expect(smtp.received.find((m) => m.to[0] === BOB)!.messageId).toBe(messageIdOf(BOB));
    expect(events(dir, 'project.closed')).toHaveLength(1);
    expect(lockLeft(dir)).toBe(false);
  });
});
