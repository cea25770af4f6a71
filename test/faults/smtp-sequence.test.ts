/**
 * A server whose replies get out of step with the commands. Only 250 after the body means
 * accepted and only 4xx/5xx is a refusal; any other reply out of sequence drops the connection
 * (never reused): before the body nothing was transmitted, so it is a retryable failure; after
 * it, the outcome is unknown. Each test counts the copies the server received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runNotify } from '../helpers/workspace.js';
import { ANN, BOB, CAT, EVERYONE, events, project, sentInLog } from './fixture.js';
import { rawSmtp, type RawScript, type RawSmtp } from '../helpers/raw-smtp.js';

let server: RawSmtp | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// One connection at a time, so messages go out in map order (ann, bob, cat) and reuse it.
const SERIAL = ['max_connections: 1', 'retry_delays_seconds: [0, 0]'];

async function close(script: RawScript) {
  server = await rawSmtp(script);
  const dir = project(SERIAL);
  const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: server.url } });
  return { ...r, dir, server };
}

/** How many transactions `conn` started: a connection dropped after its first carries no other. */
const mailsOn = (s: RawSmtp, conn: number) => s.mails.filter((m) => m.conn === conn).length;

/** No failed line may carry a reply that is not a refusal (a 2xx or 3xx read out of sequence). */
function noRefusalsThatAreNot(dir: string) {
  for (const f of events(dir, 'notification.failed')) if (f.code !== undefined) expect(f.code, f.text).toBeGreaterThanOrEqual(400);
}

describe('replies out of sequence', () => {
  it('the final dot answered twice (the second 250 lands on the next MAIL): one copy each, nothing recorded as a 354 refusal', async () => {
    // The second reply to the first message reaches the client after it sent the next MAIL.
    let extra: 'owed' | 'paid' | undefined;
    const r = await close({
      message: (c) => {
        c.reply('250 queued');
        extra ??= 'owed';
      },
      mail: (c) => {
        if (extra === 'owed') c.reply('250 queued (again)');
        if (extra === 'owed') extra = 'paid';
        c.reply('250 sender ok');
      },
    });
    for (const a of EVERYONE) expect(r.server.countFor(a), a).toBe(1);
    expect(sentInLog(r.dir)).toEqual(EVERYONE);
    noRefusalsThatAreNot(r.dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('RCPT answered twice: the extra 250 is read as the reply to DATA, so the body is never sent on that connection; one copy, after a retry', async () => {
    let doubled = false;
    const r = await close({
      rcpt: (c) => {
        c.reply('250 recipient ok');
        if (!doubled) c.reply('250 recipient ok');
        doubled = true;
      },
    });
    for (const a of EVERYONE) expect(r.server.countFor(a), a).toBe(1);
    expect(sentInLog(r.dir)).toEqual(EVERYONE);
    noRefusalsThatAreNot(r.dir);
    const failed = events(r.dir, 'notification.failed');
    expect(failed).toMatchObject([{ recipient: ANN, permanent: false }]);
    expect(failed[0].text).toMatch(/out of sequence/);
    expect(r.code, r.stderr).toBe(0);
  });

  it('354 in reply to the final dot: unknown (not a refusal, not retried), one copy, and that connection is not reused', async () => {
    const r = await close({ message: (c, m) => (m.to[0] === ANN ? c.reply('354 go ahead', '250 queued') : c.reply('250 queued')) });
    for (const a of EVERYONE) expect(r.server.countFor(a), a).toBe(1);
    expect(events(r.dir, 'notification.unknown')).toMatchObject([{ recipient: ANN }]);
    expect(events(r.dir, 'notification.failed')).toEqual([]);
    expect(events(r.dir, 'notification.attempt').filter((e) => e.recipient === ANN)).toHaveLength(1);
    expect(sentInLog(r.dir)).toEqual([BOB, CAT]);
    const annConn = r.server.received.find((m) => m.to[0] === ANN)!.conn;
    expect(mailsOn(r.server, annConn)).toBe(1);
    expect(r.code).toBe(1);
  });

  it('221 in reply to the final dot: not counted as sent (only 250 is), unknown, one copy, connection dropped', async () => {
    const r = await close({ message: (c, m) => c.reply(m.to[0] === BOB ? '221 closing' : '250 queued') });
    for (const a of EVERYONE) expect(r.server.countFor(a), a).toBe(1);
    expect(sentInLog(r.dir)).toEqual([ANN, CAT]);
    const unknown = events(r.dir, 'notification.unknown');
    expect(unknown).toMatchObject([{ recipient: BOB }]);
    expect(unknown[0].text).toContain('221 closing');
    const bobConn = r.server.received.find((m) => m.to[0] === BOB)!.conn;
    expect(r.server.received.find((m) => m.to[0] === CAT)!.conn).not.toBe(bobConn);
    expect(r.code).toBe(1);
  });

  it('a 250 that arrived with the 354, before the body was sent, is not taken as the reply to the body: unknown, one copy', async () => {
    let early = false;
    const r = await close({
      data: (c) => {
        if (!early) c.reply('354 go ahead', '250 queued');
        else c.reply('354 go ahead');
        early = true;
      },
    });
    for (const a of EVERYONE) expect(r.server.countFor(a), a).toBe(1);
    expect(events(r.dir, 'notification.unknown')).toMatchObject([{ recipient: ANN }]);
    expect(sentInLog(r.dir)).toEqual([BOB, CAT]);
    noRefusalsThatAreNot(r.dir);
  });
});
