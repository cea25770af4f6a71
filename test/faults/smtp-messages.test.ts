/**
 * What a failed connection check prints: one sentence that names the server reply once, the
 * TLS library's own text only with --verbose, and never the password.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runNotify } from '../helpers/workspace.js';
import { smtpError, startSmtp } from '../helpers/smtp.js';
import { events, project } from './fixture.js';
import { rawSmtp } from '../helpers/raw-smtp.js';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function track<T extends { close(): Promise<void> }>(s: Promise<T>): Promise<T> {
  servers.push(await s);
  return servers.at(-1) as T;
}

async function close(url: string, args: string[] = [], mapSmtp: string[] = []) {
  const dir = project(mapSmtp);
  const r = await runNotify(['close', 'launch', '--yes', ...args], { cwd: dir, env: { NOTIFY_SMTP_URL: url } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('notify: ')) ?? '';
  return { ...r, dir, line };
}

const count = (text: string, word: string) => text.split(new RegExp(`\\b${word}\\b`)).length - 1;

describe('connection errors name the server reply once', () => {
  it('421 at connect: the code appears once on the line', async () => {
    const smtp = await track(startSmtp({ onConnect: () => smtpError(421, 'too many connections, try later') }));
    const r = await close(smtp.url);
    expect(r.code).toBe(1);
    expect(r.line).toMatch(/^notify: cannot use the SMTP server 127\.0\.0\.1:\d+ \(NOTIFY_SMTP_URL\): 421 too many connections, try later$/);
    expect(count(r.line, '421')).toBe(1);
  });

  it('AUTH 535: the code appears once, and the password never, not even with --verbose', async () => {
    const smtp = await track(
      startSmtp({}, { disabledCommands: ['STARTTLS'], authOptional: false, allowInsecureAuth: true, onAuth: (_a, _s, cb) => cb(smtpError(535, '5.7.8 authentication credentials invalid')) }),
    );
    for (const args of [[], ['--verbose']]) {
      const r = await close(`smtp://notify:hunter2-secret@127.0.0.1:${smtp.port}`, args);
      expect(r.code).toBe(2);
      expect(r.line).toMatch(/^notify: SMTP authentication failed at 127\.0\.0\.1:\d+ \(NOTIFY_SMTP_URL\): 535 5\.7\.8 authentication credentials invalid$/);
      expect(count(r.line, '535')).toBe(1);
      expect(r.stdout + r.stderr).not.toContain('hunter2');
    }
  });

  it('require_tls and no STARTTLS offered: the refusal of STARTTLS appears once', async () => {
    const smtp = await track(startSmtp());
    const r = await close(smtp.url, [], ['require_tls: true']);
    expect(r.code).toBe(2);
    expect(r.line).toContain('does not offer STARTTLS');
    const code = /\((\d{3}) /.exec(r.line)?.[1];
    expect(code).toBeDefined();
    expect(count(r.line, code!)).toBe(1);
  });
});

describe('a TLS handshake that fails after STARTTLS', () => {
  it('prints one sentence without the TLS library text; --verbose adds that text', async () => {
    const s = await track(
      rawSmtp({
        ehlo: (c) => c.reply('250-raw.test', '250 STARTTLS'),
        // Says yes to STARTTLS, then answers the TLS hello in plain text.
        other: (c, line) => (/^STARTTLS/i.test(line) ? (c.reply('220 go ahead'), c.socket.once('data', () => c.reply('500 this is not TLS')), true) : false),
      }),
    );
    const url = `smtp://127.0.0.1:${s.port}?require_tls=true`;
    const plain = await close(url);
    expect(plain.code).toBe(2);
    expect(plain.line).toMatch(/^notify: the TLS handshake with SMTP server 127\.0\.0\.1:\d+ \(NOTIFY_SMTP_URL\) failed after STARTTLS/);
    expect(plain.stderr).not.toMatch(/SSL routines|ssl3_|error:[0-9A-F]{8}|openssl/i);
    expect(plain.stderr).toContain('never falls back');
    expect(events(plain.dir)).toEqual([]);
    const verbose = await close(url, ['--verbose']);
    expect(verbose.line).toBe(plain.line);
    expect(verbose.stderr).toMatch(/SSL routines|wrong version number/i);
  });
});
