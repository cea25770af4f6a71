import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startSmtp, smtpError, type TestSmtp } from '../helpers/smtp.js';
import { readLogEvents, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();
import { SMALL_MAP } from '../fixtures/maps.js';

const SECRET = 'pa55-w0rd-never-shown';
let smtp: TestSmtp;
afterEach(() => smtp?.close());

async function authServer() {
  const logins: string[] = [];
  smtp = await startSmtp({}, {
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      logins.push(auth.username ?? '');
      if (auth.username === 'bot' && auth.password === SECRET) return cb(null, { user: 'bot' });
      cb(smtpError(535, '5.7.8 authentication failed'));
    },
  });
  return logins;
}

function everythingWritten(dir: string, ...outputs: string[]): string {
  const log = path.join(dir, '.notify', 'log.jsonl');
  return [...outputs, fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''].join('\n');
}

describe('SMTP passwords never appear in output or in the log', () => {
  it('from the URL: sends after authenticating, and the password is nowhere', async () => {
    const logins = await authServer();
    const dir = tempDir();
    writeMap(dir, SMALL_MAP);
    const env = { NOTIFY_SMTP_URL: `smtp://bot:${SECRET}@127.0.0.1:${smtp.port}` };
    const r = await runNotify(['close', 'promo', '-m', 'New prices', '--yes'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(logins).toContain('bot');
    expect(smtp.received).toHaveLength(4);
    const status = await runNotify(['status', '--json'], { cwd: dir, env });
    const log = await runNotify(['log'], { cwd: dir, env });
    expect(everythingWritten(dir, r.stdout, r.stderr, status.stdout, status.stderr, log.stdout, log.stderr)).not.toContain(SECRET);
  });

  it('from the variable the map names: a wrong password is exit 2, nothing sent, and neither password is shown', async () => {
    await authServer();
    const dir = tempDir();
    writeMap(dir, SMALL_MAP.replace('locale: en\n', `locale: en\nsmtp:\n  url: smtp://127.0.0.1:${smtp.port}\n  user: bot\n  password_env: ACME_SMTP_PASSWORD\n`));
    const wrong = 'wrong-secret-also-hidden';
    const r = await runNotify(['close', 'promo', '-m', 'New prices', '--yes'], { cwd: dir, env: { ACME_SMTP_PASSWORD: wrong } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SMTP authentication failed/);
    expect(r.stderr).toContain('535');
    expect(smtp.received).toEqual([]);
    expect(readLogEvents(dir).filter((e) => e.event.startsWith('notification.'))).toEqual([]);
    expect(everythingWritten(dir, r.stdout, r.stderr)).not.toContain(wrong);

    const ok = await runNotify(['close', 'promo', '-m', 'New prices', '--yes'], { cwd: dir, env: { ACME_SMTP_PASSWORD: SECRET } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(smtp.received).toHaveLength(4);
    expect(everythingWritten(dir, ok.stdout, ok.stderr)).not.toContain(SECRET);
  });

  it('the variable the map names is not set: exit 2 naming it', async () => {
    await authServer();
    const dir = tempDir();
    writeMap(dir, SMALL_MAP.replace('locale: en\n', `locale: en\nsmtp:\n  url: smtp://127.0.0.1:${smtp.port}\n  user: bot\n  password_env: ACME_SMTP_PASSWORD\n`));
    const r = await runNotify(['close', 'promo', '-m', 'New prices', '--yes'], { cwd: dir, env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ACME_SMTP_PASSWORD');
    expect(smtp.received).toEqual([]);
  });
});
