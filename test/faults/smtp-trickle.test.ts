/**
 * A server that keeps a reply open with a `250-` continuation line every 250 ms never lets the
 * socket go idle. smtp.timeout_seconds bounds each whole reply, not the gap between its bytes:
 * the built binary stops waiting once that time is up, after the body the outcome is unknown,
 * and the first SIGTERM ends the run within that time too.
 */
import fs from 'node:fs';
import { describe, it, type TestContext } from 'vitest';
import { tempDir, writeMap } from '../helpers/workspace.js';
import { ANN, BOB, CAT, events, gate, lockLeft, mapText, sentInLog, spawnCli } from './fixture.js';
import { rawSmtp, type RawScript } from '../helpers/raw-smtp.js';

const TIMEOUT_S = 2;
/** Room for a busy two-core machine on top of the deadline; the old code never stopped at all. */
const SLACK_MS = 2_500;
/** How long a test waits for the child before it kills it and fails. */
const GUARD_MS = 15_000;

// The tests run at once (each mostly waits), so each cleans up through its own context.
async function server(t: TestContext, script: RawScript) {
  const s = await rawSmtp(script);
  t.onTestFinished(() => s.close());
  return s;
}

/** Spawns `notify close launch --yes`, one connection at a time, the given reply timeout. */
function close(t: TestContext, url: string, timeoutSeconds: number) {
  const dir = tempDir('notify-trickle-');
  t.onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  writeMap(dir, mapText([`timeout_seconds: ${timeoutSeconds}`, 'max_connections: 1', 'retry_delays_seconds: [0]']));
  const child = spawnCli(['close', 'launch', '--yes'], dir, { NOTIFY_SMTP_URL: url });
  t.onTestFinished(() => void child.kill('SIGKILL'));
  /** The child's result, or undefined if it was still running after GUARD_MS (then killed). */
  let guard: NodeJS.Timeout | undefined;
  t.onTestFinished(() => clearTimeout(guard));
  const ended = Promise.race([child, new Promise<undefined>((resolve) => (guard = setTimeout(() => resolve(undefined), GUARD_MS)))]);
  return { dir, child, ended };
}

/** The trickle starts once ann's whole body (and its dot) has arrived. */
function trickleAfterAnnsBody(started: ReturnType<typeof gate<number>>): RawScript {
  return {
    message: (c, m) => {
      if (m.to[0] !== ANN) return c.reply('250 queued');
      started.open(performance.now());
      c.trickle('250-still thinking');
    },
  };
}

describe.concurrent('a reply that trickles in forever', () => {
  it('after the final dot: the wait ends after timeout_seconds, the outcome is unknown, the others are sent, exit 1', async (t) => {
    const { expect } = t;
    const started = gate<number>();
    const s = await server(t, trickleAfterAnnsBody(started));
    const run = close(t, s.url, TIMEOUT_S);
    const t0 = await started.promise;
    const r = await run.ended;
    const waited = performance.now() - t0;
    expect(r, 'still running: the trickle kept it waiting').toBeDefined();
    expect(waited).toBeLessThan(TIMEOUT_S * 1000 + SLACK_MS);
    expect(r!.exitCode, r!.stderr).toBe(1);
    const unknown = events(run.dir, 'notification.unknown');
    expect(unknown).toMatchObject([{ recipient: ANN }]);
    expect(unknown[0].text).toMatch(/timeout|ETIMEDOUT/i);
    expect(events(run.dir, 'notification.attempt').filter((e) => e.recipient === ANN)).toHaveLength(1);
    expect(sentInLog(run.dir)).toEqual([BOB, CAT]);
    for (const a of [ANN, BOB, CAT]) expect(s.countFor(a)).toBe(1);
    expect(lockLeft(run.dir)).toBe(false);
  });

  it('SIGTERM during that wait: the first signal ends it within timeout_seconds, the send is recorded, exit 143', async (t) => {
    const { expect } = t;
    const started = gate<number>();
    const s = await server(t, trickleAfterAnnsBody(started));
    const run = close(t, s.url, TIMEOUT_S);
    await started.promise;
    // Sent directly: execa's kill() would follow it with a SIGKILL after 5 s.
    process.kill(run.child.pid!, 'SIGTERM');
    const signalled = performance.now();
    const r = await run.ended;
    expect(r, 'still running after SIGTERM').toBeDefined();
    expect(performance.now() - signalled).toBeLessThan(TIMEOUT_S * 1000 + SLACK_MS);
    expect(r!.exitCode, r!.stderr).toBe(143);
    expect(r!.stderr).toContain('interrupted by SIGTERM');
    expect(events(run.dir, 'notification.unknown')).toMatchObject([{ recipient: ANN }]);
    expect(events(run.dir, 'notification.attempt').map((e) => e.recipient)).toEqual([ANN]);
    expect(s.received).toHaveLength(1);
    expect(lockLeft(run.dir)).toBe(false);
  });

  it('in reply to EHLO: the connection check fails after timeout_seconds, exit 1, nothing attempted', async (t) => {
    const { expect } = t;
    const started = gate<number>();
    const s = await server(t, {
      ehlo: (c) => {
        started.open(performance.now());
        c.trickle('250-raw.test still listing its extensions');
      },
    });
    const run = close(t, s.url, 1);
    const t0 = await started.promise;
    const r = await run.ended;
    expect(r, 'still running: the trickle kept it waiting').toBeDefined();
    expect(performance.now() - t0).toBeLessThan(1_000 + SLACK_MS);
    expect(r!.exitCode, r!.stderr).toBe(1);
    expect(r!.stderr).toMatch(/cannot use the SMTP server 127\.0\.0\.1:\d+ .*EHLO.*1 s/);
    expect(r!.stderr).toContain('nothing was sent');
    expect(events(run.dir)).toEqual([]);
    expect(s.mails).toEqual([]);
    expect(lockLeft(run.dir)).toBe(false);
  });
});
