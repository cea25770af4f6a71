/**
 * Guarantee 5 with a real child process: the built CLI is killed (SIGKILL) between the
 * server's 250 and the result line. The rerun reports the outcome as unknown, never counts it
 * nor resends it; a person decides with --mark-sent and a reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { ANN, BOB, CAT, events, project, sentInLog, spawnCli } from './fixture.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

// One connection, so messages go out in map order: ann, bob, cat.
const SERIAL = ['max_connections: 1', 'retry_delays_seconds: [0]'];

describe('killed with SIGKILL', () => {
  it("after the server's 250, before the result line: unknown, not resent; --mark-sent with a reason closes it", async () => {
    let child: ReturnType<typeof spawnCli> | undefined;
    let armed = true;
    let frozen = false;
    smtp = await startSmtp({
      onData: (_raw, s) => {
        if (armed && s.envelope.rcptTo[0].address === BOB) {
          armed = false;
          // Freeze the client so the 250 reaches a process that can no longer record it.
          child!.kill('SIGSTOP');
          frozen = true;
        }
        return undefined;
      },
      // The 250 is on its way to the frozen client: now it dies.
      onReplied: () => {
        if (frozen) child!.kill('SIGKILL');
        frozen = false;
      },
    });
    const dir = project(SERIAL);
    const env = { NOTIFY_SMTP_URL: smtp.url };
    child = spawnCli(['close', 'launch', '--yes'], dir, env);
    expect((await child).signal).toBe('SIGKILL');
    expect(smtp.countFor(BOB)).toBe(1);
    expect(sentInLog(dir)).toEqual([ANN]);

    const rerun = await spawnCli(['close', 'launch', '--yes'], dir, env);
    expect(rerun.exitCode).toBe(1);
    expect(rerun.stdout).toMatch(/bob@example\.com: unknown/);
    expect(smtp.countFor(BOB)).toBe(1);
    expect(smtp.countFor(CAT)).toBe(1);
    expect(sentInLog(dir)).toEqual([ANN, CAT]);

    const noReason = await spawnCli(['close', 'launch', '--yes', '--mark-sent', BOB], dir, env);
    expect(noReason.exitCode).toBe(2);
    const marked = await spawnCli(['close', 'launch', '--yes', '--mark-sent', `${BOB}=seen in the server's queue log`], dir, env);
    expect(marked.exitCode, marked.stderr).toBe(0);
    expect(smtp.countFor(BOB)).toBe(1);
    expect(events(dir, 'notification.sent').find((e) => e.recipient === BOB)).toMatchObject({ via: 'manual', reason: "seen in the server's queue log" });
    expect(events(dir, 'project.closed')).toHaveLength(1);
  });
});
