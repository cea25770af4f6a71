import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { readLogEvents, runNotify, tempDir, writeMap } from '../helpers/workspace.js';
import { transportMap } from './maps.js';

const SECRET = 'pw-7f3a9c-never-shown';

describe('SMTP password from password_command and password_file', () => {
  let smtp: TestSmtp;
  let dir: string;
  const logins: { user: string; pass: string }[] = [];
  beforeEach(async () => {
    logins.length = 0;
    smtp = await startSmtp(
      {},
      {
        disabledCommands: ['STARTTLS'],
        allowInsecureAuth: true,
        authMethods: ['PLAIN', 'LOGIN'],
        onAuth(auth, _session, cb) {
          logins.push({ user: auth.username ?? '', pass: auth.password ?? '' });
          if (auth.password === SECRET) cb(null, { user: auth.username });
          else cb(Object.assign(new Error('bad credentials'), { responseCode: 535 }));
        },
      },
    );
    dir = tempDir();
  });
  afterEach(async () => {
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const smtpBlock = (password: string) => `smtp:\n  url: ${smtp.url}\n  user: notify-bot\n  ${password}\n`;

  it('password_command: its stdout is the password, and it appears in no output and no log', async () => {
    fs.writeFileSync(path.join(dir, 'pass.mjs'), `process.stdout.write(${JSON.stringify(SECRET)} + '\\n');`);
    writeMap(dir, transportMap(smtpBlock(`password_command: "${process.execPath} pass.mjs"`)));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((l) => l.user === 'notify-bot' && l.pass === SECRET)).toBe(true);
    expect(smtp.received).toHaveLength(3);
    const log = fs.readFileSync(path.join(dir, '.notify', 'log.jsonl'), 'utf8');
    for (const text of [r.stdout, r.stderr, log, ...smtp.received.map((m) => m.raw)]) expect(text).not.toContain(SECRET);
  });

  it('a failing password_command is an exit-2 error naming the map line; nothing is sent or recorded', async () => {
    fs.writeFileSync(path.join(dir, 'pass.mjs'), `process.stdout.write(${JSON.stringify(SECRET)}); process.stderr.write('vault is locked\\n'); process.exit(3);`);
    writeMap(dir, transportMap(smtpBlock(`password_command: "${process.execPath} pass.mjs"`)));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    const line = transportMap(smtpBlock('password_command')).split('\n').findIndex((l) => l.includes('password_command')) + 1;
    expect(r.stderr).toContain(`notify.yaml:${line}:`);
    expect(r.stderr).toContain('smtp.password_command failed (exit 3): vault is locked');
    expect(r.stderr + r.stdout).not.toContain(SECRET);
    expect(smtp.received).toHaveLength(0);
    expect(readLogEvents(dir)).toEqual([]);
  });

  it('a URL in the failing command\'s last line of stderr is shown with its password masked', async () => {
    fs.writeFileSync(path.join(dir, 'pass.mjs'), `process.stderr.write('cannot reach https://reader:${SECRET}@vault.example/v1 (timeout)\\n'); process.exit(1);`);
    writeMap(dir, transportMap(smtpBlock(`password_command: "${process.execPath} pass.mjs"`)));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('smtp.password_command failed (exit 1): cannot reach https://reader:***@vault.example/v1 (timeout)');
    expect(r.stderr + r.stdout).not.toContain(SECRET);
  });

  it('password_file: read relative to the map, trailing newline dropped', async () => {
    fs.mkdirSync(path.join(dir, 'secrets'));
    fs.writeFileSync(path.join(dir, 'secrets', 'smtp'), `${SECRET}\n`, { mode: 0o600 });
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    writeMap(dir, transportMap(smtpBlock('password_file: secrets/smtp')));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: sub });
    expect(r.code, r.stderr).toBe(0);
    expect(smtp.received).toHaveLength(3);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('a missing password_file is an exit-2 error; nothing is sent', async () => {
    writeMap(dir, transportMap(smtpBlock('password_file: secrets/none')));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notify\.yaml:\d+:\d+: smtp\.password_file secrets\/none cannot be read \(ENOENT\)/);
    expect(smtp.received).toHaveLength(0);
  });
});
