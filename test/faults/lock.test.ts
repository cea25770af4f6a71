/**
 * Guarantee 7: one writer per log. Two real `close` processes on the same log: the second
 * fails fast with the lock message (exit 1), or queues with --wait; the server receives each
 * message once either way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import fs from 'node:fs';
import { ANN, EVERYONE, events, gate, lockLeft, logFile, project, runHere, spawnCli } from './fixture.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

describe('one writer per log', () => {
  it('two runs started at once: one sends, the other fails fast with the lock message and exit 1', async () => {
    let first = true;
    let runs: Promise<unknown>[] = [];
    smtp = await startSmtp({
      onMailFrom: async () => {
        // Hold the winner's first send until the other run has given up.
        if (first) {
          first = false;
          await Promise.race(runs);
        }
        return undefined;
      },
    });
    const dir = project();
    const env = { NOTIFY_SMTP_URL: smtp.url };
    const a = spawnCli(['close', 'launch', '--yes'], dir, env);
    const b = spawnCli(['close', 'launch', '--yes'], dir, env);
    runs = [a, b];
    const results = await Promise.all([a, b]);
    expect(results.map((r) => r.exitCode).sort()).toEqual([0, 1]);
    const loser = results.find((r) => r.exitCode === 1)!;
    // The holder writes its owner file just after taking the lock: a loser that comes in between cannot name it yet.
    expect(loser.stderr).toMatch(/notify: \.notify\/log\.jsonl: another notify run( \(pid \d+ on .+\))? is sending with this log right now/);
    expect(loser.stderr).toContain('--wait');
    for (const address of EVERYONE) expect(smtp.countFor(address)).toBe(1);
    expect(events(dir, 'close.planned')).toHaveLength(1);
    expect(events(dir, 'notification.attempt')).toHaveLength(3);
    expect(lockLeft(dir)).toBe(false);
  });

  it('--wait queues behind the running close, then finds the project closed and sends nothing', async () => {
    const { a, b, dir, hold, server } = await secondRunWaiting();
    hold.open();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.exitCode, ra.stderr).toBe(0);
    expect(rb.exitCode, rb.stderr).toBe(0);
    expect(rb.stderr).toContain('closed by another run');
    for (const address of EVERYONE) expect(server.countFor(address)).toBe(1);
    expect(events(dir, 'project.closed')).toHaveLength(1);
    expect(lockLeft(dir)).toBe(false);
  });

  it('SIGTERM while waiting with --wait: exit 143, the waiting run sends nothing', async () => {
    const { a, b, dir, hold, server } = await secondRunWaiting();
    b.kill('SIGTERM');
    const rb = await b;
    expect(rb.exitCode, rb.stderr).toBe(143);
    expect(rb.stderr).toContain('interrupted by SIGTERM');
    hold.open();
    const ra = await a;
    expect(ra.exitCode, ra.stderr).toBe(0);
    for (const address of EVERYONE) expect(server.countFor(address)).toBe(1);
    expect(events(dir, 'notification.attempt')).toHaveLength(3);
    expect(lockLeft(dir)).toBe(false);
  });

  it('a lock lost while sending (its folder removed): no new send starts, the close stops with exit 1, a rerun sends the rest once', async () => {
    const hold = gate();
    const sending = gate();
    smtp = await startSmtp({
      onData: async (_raw, session) => {
        // The first message waits until the lock is gone and its loss noticed.
        if (session.envelope.rcptTo[0].address === ANN) {
          sending.open();
          await hold.promise;
        }
        return undefined;
      },
    });
    const dir = project(['max_connections: 1', 'retry_delays_seconds: [0]']);
    const env = { NOTIFY_SMTP_URL: smtp.url };
    const a = spawnCli(['close', 'launch', '--yes'], dir, env);
    await sending.promise;
    expect(lockLeft(dir)).toBe(true);
    fs.rmSync(`${logFile(dir)}.lock`, { recursive: true, force: true });
    await a.stderrHas('was lost');
    hold.open();
    const r = await a;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toContain('launch stays open: the lock of .notify/log.jsonl was lost while sending (its file .notify/log.jsonl.lock was removed); the sends in flight were recorded');
    // The send in flight finished and was recorded; none started after.
    expect(smtp.received.map((m) => m.to[0])).toEqual([ANN]);
    expect(events(dir, 'notification.sent').map((e) => e.recipient)).toEqual([ANN]);
    expect(events(dir, 'notification.attempt')).toHaveLength(1);
    expect(events(dir, 'project.closed')).toHaveLength(0);

    const rerun = await runHere(['close', 'launch', '--yes'], dir, env);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    for (const address of EVERYONE) expect(smtp.countFor(address)).toBe(1);
  });
});

/** A close holding the lock, its first send held at the server, and a second close waiting with --wait. */
async function secondRunWaiting() {
  const reached = gate();
  const hold = gate();
  let first = true;
  const server = await startSmtp({
    onMailFrom: async () => {
      if (first) {
        first = false;
        reached.open();
        await hold.promise;
      }
      return undefined;
    },
  });
  smtp = server; // closed after the test
  const dir = project();
  const env = { NOTIFY_SMTP_URL: server.url };
  const a = spawnCli(['close', 'launch', '--yes'], dir, env);
  await reached.promise;
  const b = spawnCli(['close', 'launch', '--yes', '--wait'], dir, env);
  await b.stderrHas('waiting for it to finish');
  return { a, b, dir, hold, server };
}
