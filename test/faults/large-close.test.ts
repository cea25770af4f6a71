/**
 * The guarantees hold on the path a large close takes (messages composed in a worker thread,
 * ahead of the sends): a SIGTERM and a SIGKILL of the real binary in the middle of 300 sends,
 * then a rerun: every recipient has one copy, except one whose outcome the kill left unknown,
 * which is reported and not sent again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { events, lockLeft, scratchDir, sentInLog, spawnCli } from './fixture.js';

const PARTIES = 30;
const CONTACTS = 10;
const EVERYONE = Array.from({ length: PARTIES * CONTACTS }, (_, i) => `c${i % CONTACTS}.p${Math.floor(i / CONTACTS)}@example.com`).sort();

function largeProject(): string {
  const dir = scratchDir('notify-large-');
  const lines = ['version: 1', 'from: "Projects <projects@example.com>"', 'smtp:', '  retry_delays_seconds: [0]', 'actions:', '  rollout: { description: "Roll-out in every store" }', 'parties:'];
  for (let p = 0; p < PARTIES; p++) {
    lines.push(`  p${p}:`, `    contacts: [${Array.from({ length: CONTACTS }, (_, c) => `"c${c}.p${p}@example.com"`).join(', ')}]`, '    affected_by: [rollout]');
  }
  lines.push('projects:', '  launch:', '    actions: [rollout]', '    summary: "Rolled out"', '');
  fs.writeFileSync(path.join(dir, 'notify.yaml'), lines.join('\n'));
  return dir;
}

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

describe('a large close stopped half-way', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGKILL', null],
  ] as const)('%s after 100 messages: a rerun sends the rest, and no recipient gets a second copy', async (signal, code) => {
    let child: ReturnType<typeof spawnCli> | undefined;
    let count = 0;
    smtp = await startSmtp({
      onData: () => {
        if (++count === 100) child!.kill(signal);
        return undefined;
      },
    });
    const dir = largeProject();
    const env = { NOTIFY_SMTP_URL: smtp.url };
    child = spawnCli(['close', 'launch', '--yes'], dir, env);
    const r = await child;
    if (code === null) expect(r.signal, r.stderr).toBe('SIGKILL');
    else expect(r.exitCode, r.stderr).toBe(code);
    const received = smtp.received.map((m) => m.to[0]);
    expect(received.length).toBeGreaterThanOrEqual(100);
    expect(received.length).toBeLessThan(EVERYONE.length);
    expect(new Set(received).size).toBe(received.length);
    // What is logged as sent was received; a SIGKILL may leave the last replies unrecorded.
    for (const a of sentInLog(dir)) expect(received).toContain(a);
    if (code !== null) {
      expect(sentInLog(dir)).toEqual([...received].sort());
      expect(lockLeft(dir)).toBe(false);
    }

    // Attempted, with no result on disk: unknown, never sent again without --resend-unknown.
    const answered = new Set(events(dir).filter((e) => e.event !== 'notification.attempt' && e.recipient).map((e) => e.recipient));
    const unknown = events(dir, 'notification.attempt').map((e) => e.recipient).filter((a) => !answered.has(a));
    if (code !== null) expect(unknown).toEqual([]);

    const rerun = await spawnCli(['close', 'launch', '--yes'], dir, env);
    expect(rerun.exitCode, rerun.stderr).toBe(unknown.length === 0 ? 0 : 1);
    for (const a of EVERYONE) expect(smtp.countFor(a), a).toBe(unknown.includes(a) ? (received.includes(a) ? 1 : 0) : 1);
    expect(sentInLog(dir)).toEqual(EVERYONE.filter((a) => !unknown.includes(a)));
    expect(events(dir, 'project.closed')).toHaveLength(unknown.length === 0 ? 1 : 0);
  }, 60_000);
});
