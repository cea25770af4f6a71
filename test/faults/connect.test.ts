/**
 * Guarantees 5 and 9: the connection is verified before any message is attempted, every wait
 * is bounded, TLS never falls back to an unverified or plain connection. Nothing is sent and
 * nothing is recorded when the server cannot be used.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runNotify } from '../helpers/workspace.js';
import { smtpError, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { EVERYONE, events, project, sentInLog } from './fixture.js';

const servers: { close(): unknown }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function smtpServer(...args: Parameters<typeof startSmtp>): Promise<TestSmtp> {
  const s = await startSmtp(...args);
  servers.push(s);
  return s;
}

function closeWith(url: string, mapSmtp: string[] = []) {
  const dir = project(mapSmtp);
  return runNotify(['close', 'launch', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: url } }).then((r) => ({ ...r, dir }));
}

/** Nothing reached the log: not even the decisions, so a rerun asks afresh; and the lock is let go. */
function expectNothingRecorded(dir: string) {
  expect(events(dir)).toEqual([]);
  expect(fs.existsSync(path.join(dir, '.notify', 'log.jsonl.lock'))).toBe(false);
}

describe('connection problems are found before any message is attempted', () => {
  it('a server that never greets: the greeting timeout ends the run, exit 1, nothing attempted', async () => {
    let bytesFromClient = 0;
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => {
      sockets.push(s);
      s.on('data', (d) => (bytesFromClient += d.length));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => (sockets.forEach((s) => s.destroy()), new Promise((resolve) => silent.close(resolve))) });
    const port = (silent.address() as net.AddressInfo).port;
    const r = await closeWith(`smtp://127.0.0.1:${port}`, ['timeout_seconds: 1']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/cannot use the SMTP server 127\.0\.0\.1:\d+.*(greeting|timeout)/i);
    expect(r.stderr).toContain('nothing was sent');
    expect(bytesFromClient).toBe(0);
    expectNothingRecorded(r.dir);
  });

  it('421 at connect: exit 1 with the reply, nothing attempted', async () => {
    const smtp = await smtpServer({ onConnect: () => smtpError(421, 'too many connections, try later') });
    const r = await closeWith(smtp.url);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('421');
    expect(r.stderr).toContain('too many connections');
    expect(smtp.received).toHaveLength(0);
    expectNothingRecorded(r.dir);
  });

  it('a closed port: exit 1, ECONNREFUSED named, nothing attempted', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = await closeWith(`smtp://127.0.0.1:${port}`, ['timeout_seconds: 2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ECONNREFUSED');
    expectNothingRecorded(r.dir);
  });
});

describe('authentication', () => {
  const auth = () =>
    smtpServer(
      {},
      {
        disabledCommands: ['STARTTLS'],
        authOptional: false,
        allowInsecureAuth: true,
        onAuth(a, _session, cb) {
          if (a.username === 'notify' && a.password === 'right') return cb(null, { user: a.username });
          cb(smtpError(535, '5.7.8 authentication credentials invalid'));
        },
      },
    );

  it('AUTH 535: a configuration problem (exit 2) before any message, and the password is never printed', async () => {
    const smtp = await auth();
    const r = await closeWith(`smtp://notify:wrong-secret@127.0.0.1:${smtp.port}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SMTP authentication failed at 127\.0\.0\.1:\d+ \(NOTIFY_SMTP_URL\): 535/);
    expect(r.stderr + r.stdout).not.toContain('wrong-secret');
    expect(smtp.received).toHaveLength(0);
    expectNothingRecorded(r.dir);
  });

  it('the same server with the right password delivers each message once', async () => {
    const smtp = await auth();
    const r = await closeWith(`smtp://notify:right@127.0.0.1:${smtp.port}`);
    expect(r.code, r.stderr).toBe(0);
    for (const a of EVERYONE) expect(smtp.countFor(a)).toBe(1);
    expect(sentInLog(r.dir)).toEqual(EVERYONE);
  });
});

describe('TLS never falls back', () => {
  it('smtps:// to a self-signed certificate: exit 2, nothing sent', async () => {
    const smtp = await smtpServer({}, { secure: true });
    const r = await closeWith(`smtps://127.0.0.1:${smtp.port}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/certificate/i);
    expect(r.stderr).toContain('never falls back');
    expect(smtp.received).toHaveLength(0);
    expectNothingRecorded(r.dir);
  });

  it('require_tls with STARTTLS to a self-signed certificate: exit 2, nothing sent', async () => {
    const smtp = await smtpServer({}, { disabledCommands: ['AUTH'] });
    const r = await closeWith(`smtp://127.0.0.1:${smtp.port}?require_tls=true`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/certificate/i);
    expect(smtp.received).toHaveLength(0);
    expectNothingRecorded(r.dir);
  });

  it('require_tls (in the map) with a server that offers no STARTTLS: exit 2, never sent in plain text', async () => {
    const smtp = await smtpServer();
    const r = await closeWith(smtp.url, ['require_tls: true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not offer STARTTLS');
    expect(smtp.received).toHaveLength(0);
    expectNothingRecorded(r.dir);
  });
});
