/**
 * Guarantees 1 and 5 against a real SMTP server on loopback: what the server replies decides
 * what the log records, one failing recipient never stops the others, and every test counts
 * the copies the server actually received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runNotify } from '../helpers/workspace.js';
import { smtpError, startSmtp, type FaultHooks, type TestSmtp } from '../helpers/smtp.js';
import { ANN, BOB, CAT, EVERYONE, events, messageIdOf, project, sentInLog } from './fixture.js';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

async function close(hooks: FaultHooks, mapSmtp?: string[], args: string[] = []) {
  smtp = await startSmtp(hooks);
  const dir = project(mapSmtp);
  const r = await runNotify(['close', 'launch', '--yes', ...args], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
  return { ...r, dir, smtp };
}

describe('SMTP replies decide what is recorded', () => {
  it('550 for one of three recipients: the two others are sent, the third is failed with its code, exit 1', async () => {
    const r = await close({ onRcpt: (a) => (a === BOB ? smtpError(550, 'no such user here') : undefined) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.smtp.countFor(ANN)).toBe(1);
    expect(r.smtp.countFor(CAT)).toBe(1);
    expect(r.smtp.countFor(BOB)).toBe(0);
    expect(sentInLog(r.dir)).toEqual([ANN, CAT]);
    const failed = events(r.dir, 'notification.failed');
    expect(failed).toMatchObject([{ recipient: BOB, code: 550, permanent: true }]);
    expect(failed[0].text).toContain('no such user here');
    expect(events(r.dir, 'project.closed')).toHaveLength(0);
    expect(r.stdout).toContain('bob@example.com: failed (550');
  });

  it('451 then success: retried within the run, delivered once, closed', async () => {
    const seen = new Map<string, number>();
    const r = await close({
      onRcpt: (a) => {
        seen.set(a, (seen.get(a) ?? 0) + 1);
        return a === ANN && seen.get(a) === 1 ? smtpError(451, 'greylisted, try again later') : undefined;
      },
    });
    expect(r.code, r.stderr).toBe(0);
    for (const a of EVERYONE) expect(r.smtp.countFor(a)).toBe(1);
    expect(events(r.dir, 'notification.failed')).toMatchObject([{ recipient: ANN, code: 451, permanent: false }]);
    expect(sentInLog(r.dir)).toEqual(EVERYONE);
    expect(events(r.dir, 'project.closed')).toHaveLength(1);
  });

  it('451 every time: retried as many times as retry_delays_seconds says, then reported as deferred', async () => {
    const r = await close({ onRcpt: (a) => (a === CAT ? smtpError(451, 'greylisted') : undefined) }, ['retry_delays_seconds: [0, 0, 0]']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.smtp.countFor(CAT)).toBe(0);
    expect(r.smtp.countFor(ANN)).toBe(1);
    expect(events(r.dir, 'notification.attempt').filter((e) => e.recipient === CAT)).toHaveLength(4);
    expect(events(r.dir, 'notification.failed').filter((e) => e.recipient === CAT)).toHaveLength(4);
    expect(r.stdout).toMatch(/cat@[^:]+: failed \(deferred: 451 greylisted\)/);
    // A rerun retries only what is missing.
    const again = await runNotify(['close', 'launch', '--yes'], { cwd: r.dir, env: { NOTIFY_SMTP_URL: r.smtp.url } });
    expect(again.code).toBe(1);
    expect(r.smtp.countFor(ANN)).toBe(1);
    expect(r.smtp.countFor(BOB)).toBe(1);
  });

  it('550 for all: nothing is recorded as sent, exit 1, and a rerun tries again', async () => {
    const r = await close({ onRcpt: () => smtpError(550, 'mailbox unavailable') });
    expect(r.code).toBe(1);
    expect(r.smtp.received).toHaveLength(0);
    expect(sentInLog(r.dir)).toEqual([]);
    expect(events(r.dir, 'notification.failed')).toHaveLength(3);
    expect(events(r.dir, 'notification.failed').every((e) => e.code === 550 && e.permanent)).toBe(true);
  });

  it('553 on MAIL FROM: every message fails permanently with the code, none is sent', async () => {
    const r = await close({ onMailFrom: () => smtpError(553, 'sender address rejected') });
    expect(r.code).toBe(1);
    expect(r.smtp.received).toHaveLength(0);
    expect(events(r.dir, 'notification.failed').map((e) => e.code)).toEqual([553, 553, 553]);
    expect(events(r.dir, 'notification.failed')[0].text).toContain('sender address rejected');
  });

  it('554 after DATA: a permanent failure for that message only', async () => {
    const r = await close({ onData: (_raw, s) => (s.envelope.rcptTo[0].address === ANN ? smtpError(554, 'message refused: spam') : undefined) });
    expect(r.code).toBe(1);
    expect(r.smtp.countFor(ANN)).toBe(0);
    expect(r.smtp.countFor(BOB)).toBe(1);
    expect(r.smtp.countFor(CAT)).toBe(1);
    expect(events(r.dir, 'notification.failed')).toMatchObject([{ recipient: ANN, code: 554, permanent: true }]);
    expect(events(r.dir, 'notification.attempt').filter((e) => e.recipient === ANN)).toHaveLength(1);
  });

  it('451 after DATA, then accepted: retried, exactly one copy, same Message-ID', async () => {
    let refused = 0;
    const r = await close({ onData: (_raw, s) => (s.envelope.rcptTo[0].address === BOB && refused++ === 0 ? smtpError(451, 'try again') : undefined) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.smtp.countFor(BOB)).toBe(1);
    expect(r.smtp.received.find((m) => m.to[0] === BOB)?.messageId).toBe(messageIdOf(BOB));
    expect(events(r.dir, 'notification.failed')).toMatchObject([{ recipient: BOB, code: 451, permanent: false }]);
  });
});

describe('connection faults during a send', () => {
  it('connection dropped after the whole message, before the reply: unknown, never counted, never resent silently', async () => {
    let drops = 0;
    const r = await close({ onData: (_raw, s) => (s.envelope.rcptTo[0].address === CAT && drops++ === 0 ? 'drop' : undefined) }, ['retry_delays_seconds: [0, 0]', 'max_connections: 1']);
    expect(r.code).toBe(1);
    expect(r.smtp.countFor(CAT)).toBe(0);
    expect(r.smtp.countFor(ANN)).toBe(1);
    expect(events(r.dir, 'notification.unknown')).toMatchObject([{ recipient: CAT }]);
    expect(r.stderr).toContain('--resend-unknown');
    // A plain rerun neither counts nor resends it.
    const again = await runNotify(['close', 'launch', '--yes'], { cwd: r.dir, env: { NOTIFY_SMTP_URL: r.smtp.url } });
    expect(again.code).toBe(1);
    expect(r.smtp.countFor(CAT)).toBe(0);
    expect(r.smtp.received).toHaveLength(2);
    // The decision is the user's: resend with the same Message-ID.
    const resend = await runNotify(['close', 'launch', '--yes', '--resend-unknown'], { cwd: r.dir, env: { NOTIFY_SMTP_URL: r.smtp.url } });
    expect(resend.code, resend.stderr).toBe(0);
    expect(r.smtp.countFor(CAT)).toBe(1);
    expect(r.smtp.received.find((m) => m.to[0] === CAT)?.messageId).toBe(messageIdOf(CAT));
    expect(sentInLog(r.dir)).toEqual(EVERYONE);
  });

  it('connection dropped mid-DATA: the server kept nothing, and the log never claims a copy it does not have', async () => {
    let drops = 0;
    const r = await close({ onDataStart: (s) => s.envelope.rcptTo[0].address === ANN && drops++ === 0 }, ['retry_delays_seconds: [0, 0]', 'max_connections: 1']);
    expect(r.smtp.countFor(BOB)).toBe(1);
    expect(r.smtp.countFor(CAT)).toBe(1);
    // If the client was still writing, the final dot never left: a plain failure, retried (one
    // copy). If it had handed the whole body over, it cannot know: unknown (no copy, no resend).
    const sentAnn = sentInLog(r.dir).filter((a) => a === ANN).length;
    const unknownAnn = events(r.dir, 'notification.unknown').filter((e) => e.recipient === ANN).length;
    expect(r.smtp.countFor(ANN)).toBe(sentAnn);
    expect(sentAnn + unknownAnn).toBe(1);
    expect(r.code).toBe(unknownAnn === 1 ? 1 : 0);
  });

  it('a server that never replies after DATA: the socket timeout (smtp.timeout_seconds) makes it unknown', async () => {
    const r = await close({ onData: (_raw, s) => (s.envelope.rcptTo[0].address === BOB ? 'hang' : undefined) }, ['timeout_seconds: 1', 'retry_delays_seconds: [0]']);
    expect(r.code).toBe(1);
    expect(r.smtp.countFor(BOB)).toBe(0);
    expect(r.smtp.countFor(ANN)).toBe(1);
    expect(r.smtp.countFor(CAT)).toBe(1);
    const unknown = events(r.dir, 'notification.unknown');
    expect(unknown).toMatchObject([{ recipient: BOB }]);
    expect(unknown[0].text).toMatch(/timeout|ETIMEDOUT/i);
    expect(events(r.dir, 'notification.attempt').filter((e) => e.recipient === BOB)).toHaveLength(1);
  });

  it('a server that stops answering before DATA: a plain failure (nothing was transmitted), retried', async () => {
    let hung = 0;
    const r = await close({ onRcpt: (a) => (a === ANN && hung++ === 0 ? new Promise<undefined>(() => undefined) : undefined) }, ['timeout_seconds: 1', 'retry_delays_seconds: [0]']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.smtp.countFor(ANN)).toBe(1);
    expect(events(r.dir, 'notification.unknown')).toHaveLength(0);
    expect(events(r.dir, 'notification.failed')).toMatchObject([{ recipient: ANN, permanent: false }]);
  });
});
