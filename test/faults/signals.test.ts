/**
 * Guarantee 9 with a real child process: SIGTERM (a cancelled CI job) or SIGINT in the middle
 * of a send lets that send finish and be recorded, starts no other, releases the lock and
 * exits 143 / 130 with a log that is valid to the last line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { ANN, EVERYONE, events, gate, lockLeft, logText, project, sentInLog, spawnCli } from './fixture.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

// One connection, so messages go out in map order: ann, bob, cat.
const SERIAL = ['max_connections: 1', 'retry_delays_seconds: [0]'];

function everyLineIsJson(dir: string) {
  const text = logText(dir);
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
}

describe('stopped with a signal during a long send', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s: the send in flight finishes and is recorded, no new send starts, exit %i, lock released', async (signal, code) => {
    let child: ReturnType<typeof spawnCli> | undefined;
    const slow = gate();
    smtp = await startSmtp({
      onData: async (_raw, s) => {
        if (s.envelope.rcptTo[0].address === ANN) {
          child!.kill(signal);
          await child!.stderrHas(`${signal} received`);
          await slow.promise;
        }
        return undefined;
      },
    });
    const dir = project(SERIAL);
    const env = { NOTIFY_SMTP_URL: smtp.url };
    child = spawnCli(['close', 'launch', '--yes'], dir, env);
    await child.stderrHas(`${signal} received`);
    slow.open();
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toContain(`interrupted by ${signal}`);
    expect(smtp.received.map((m) => m.to[0])).toEqual([ANN]);
    expect(sentInLog(dir)).toEqual([ANN]);
    expect(events(dir, 'notification.attempt').map((e) => e.recipient)).toEqual([ANN]);
    everyLineIsJson(dir);
    expect(lockLeft(dir)).toBe(false);

    const rerun = await spawnCli(['close', 'launch', '--yes'], dir, env);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    for (const a of EVERYONE) expect(smtp.countFor(a)).toBe(1);
  });
});
