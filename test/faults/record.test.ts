/**
 * The record never lies, attacked from outside the process: the log replaced or cut while a
 * close runs, a run paused past its lock's refresh, the log reached through a symlink, and two
 * runs that decided differently. Each test counts what the server received. The run under attack
 * is the built CLI; a run after it or beside it, whose promise is what it decides and records,
 * runs in-process (runHere).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { ANN, EVERYONE, events, gate, lockLeft, logFile, project, runHere, sentInLog, spawnCli } from './fixture.js';

/** A valid event of another project, as in a log restored from elsewhere. */
const FOREIGN = JSON.stringify({ id: 'f1', ts: '2026-01-01T00:00:00.000Z', event: 'party.skipped', project: 'other', party: 'sales', reason: 'not them' }) + '\n';

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

/** A loopback server that holds the first message it receives until `hold.open()`. */
async function holdingServer() {
  const reached = gate();
  const hold = gate();
  let first = true;
  smtp = await startSmtp({
    onData: async () => {
      if (first) {
        first = false;
        reached.open();
        await hold.promise;
      }
      return undefined;
    },
  });
  return { reached, hold, smtp };
}

/** A close (one connection) whose first message is held at the server until `hold.open()`; `prepare` runs on its folder first. */
async function heldClose(args: string[] = [], prepare: (dir: string) => void = () => undefined) {
  const { reached, hold, smtp } = await holdingServer();
  const dir = project(['max_connections: 1', 'retry_delays_seconds: [0]']);
  prepare(dir);
  const env = { NOTIFY_SMTP_URL: smtp.url };
  const a = spawnCli(['close', 'launch', '--yes', ...args], dir, env);
  await reached.promise;
  return { a, dir, env, hold, server: smtp };
}

describe('the log changed under a running close', () => {
  const attacks: [string, (file: string, before: string) => void, RegExp][] = [
    // `git checkout -- .notify/log.jsonl`: an older copy moved over the path.
    ['replaced by an older copy (mv over it)', (file, before) => (fs.writeFileSync(`${file}.old`, before), fs.renameSync(`${file}.old`, file)), /was replaced while this run was using it; the \d+ events? it lacked (was|were) written back to it/],
    ['removed', (file) => fs.rmSync(file), /was removed while this run was using it/],
    ['truncated in place', (file) => fs.truncateSync(file, 0), /was truncated while this run was using it; the \d+ events? of this run it lacked (was|were) written back to it/],
    // `cp other.jsonl .notify/log.jsonl`, a shell redirect: the same file, longer, with other lines.
    ['rewritten in place with longer content', (file) => fs.writeFileSync(file, FOREIGN.repeat(8)), /was changed by another program while this run was using it; the \d+ events? of this run it lacked (was|were) written back to it/],
    // The same size, one address changed in the middle: only the modification time tells.
    ['rewritten in place at the same size', (file) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('ann@', 'zed@')), /was changed by another program while this run was using it; it lacked none of the events of this run/],
  ];
  it.each(attacks)('%s: no new send starts, exit 1 naming the file, the sends made are on record, a rerun sends each rest once', async (_name, attack, said) => {
    const { a, dir, env, hold, server } = await heldClose();
    attack(logFile(dir), '');
    hold.open();
    const r = await a;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toContain('launch stays open: .notify/log.jsonl');
    expect(r.stderr).toMatch(said);
    expect(server.received.map((m) => m.to[0])).toEqual([ANN]);
    // The file the path names shows what was decided and sent, and nothing closed.
    expect(events(dir, 'close.planned')).toHaveLength(1);
    expect(sentInLog(dir)).toEqual([ANN]);
    expect(events(dir, 'project.closed')).toHaveLength(0);
    expect(lockLeft(dir)).toBe(false);

    const rerun = await runHere(['close', 'launch', '--yes'], dir, env);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    for (const address of EVERYONE) expect(server.countFor(address)).toBe(1);
    expect(sentInLog(dir)).toEqual([...EVERYONE].sort());
  });
});

describe('the log reached through a symlink', () => {
  it('the link pointed elsewhere mid-run: the run notices, writes what it knows to the file the path now names, and a rerun sends no second copy', async () => {
    const { a, dir, env, hold, server } = await heldClose(['--log', 'alias.jsonl'], (d) => {
      fs.mkdirSync(path.join(d, '.notify'), { recursive: true });
      fs.symlinkSync(path.join('.notify', 'log.jsonl'), path.join(d, 'alias.jsonl'));
    });
    fs.writeFileSync(path.join(dir, 'other.jsonl'), '');
    fs.symlinkSync('other.jsonl', path.join(dir, 'alias.tmp'));
    fs.renameSync(path.join(dir, 'alias.tmp'), path.join(dir, 'alias.jsonl'));
    hold.open();
    const r = await a;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toContain('launch stays open: alias.jsonl was replaced while this run was using it');
    expect(server.received.map((m) => m.to[0])).toEqual([ANN]);
    const rerun = await runHere(['close', 'launch', '--yes', '--log', 'alias.jsonl'], dir, env);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    for (const address of EVERYONE) expect(server.countFor(address)).toBe(1);
  });
});

describe('a paused run keeps its lock, and checks it before each send', () => {
  it('a lock naming pid 0 on this host is a dead one: taken over, not waited for', async () => {
    smtp = await startSmtp();
    const dir = project();
    fs.mkdirSync(path.join(dir, '.notify'), { recursive: true });
    fs.writeFileSync(`${logFile(dir)}.lock`, JSON.stringify({ pid: 0, host: os.hostname() }) + '\n');
    const r = await runHere(['close', 'launch', '--yes'], dir, { NOTIFY_SMTP_URL: smtp.url });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const address of EVERYONE) expect(smtp.countFor(address)).toBe(1);
  });

  it('a stopped holder whose lock has not been refreshed for long is not taken over; both runs end with one copy each', async () => {
    const { a, dir, env, hold, server } = await heldClose();
    a.kill('SIGSTOP');
    try {
      // As if the holder had been stopped for a minute: its lock is far past the stale age.
      const past = new Date(Date.now() - 60_000);
      fs.utimesSync(`${logFile(dir)}.lock`, past, past);
      const b = await runHere(['close', 'launch', '--yes'], dir, env);
      expect(b.exitCode, b.stderr).toBe(1);
      expect(b.stderr).toMatch(new RegExp(`another notify run \\(pid ${a.pid} on .+\\) is sending with this log right now`));
    } finally {
      a.kill('SIGCONT');
    }
    hold.open();
    const r = await a;
    expect(r.exitCode, r.stderr).toBe(0);
    for (const address of EVERYONE) expect(server.countFor(address)).toBe(1);
    expect(sentInLog(dir)).toEqual([...EVERYONE].sort());
  });

  it('a run whose lock was taken while it was stopped finishes its send in flight, then starts no other (fencing)', async () => {
    const { a, dir, hold, server } = await heldClose();
    a.kill('SIGSTOP');
    try {
      // Another host's run took the lock over while this one was stopped.
      const lock = `${logFile(dir)}.lock`;
      fs.writeFileSync(`${lock}.other`, JSON.stringify({ pid: 4242, host: 'another-host', token: 'theirs' }) + '\n');
      fs.renameSync(`${lock}.other`, lock);
    } finally {
      a.kill('SIGCONT');
    }
    hold.open();
    const r = await a;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/launch stays open: the lock of \.notify\/log\.jsonl was lost while sending \(it now belongs to another run \(pid 4242 on another-host\)\)/);
    expect(server.received.map((m) => m.to[0])).toEqual([ANN]);
    expect(sentInLog(dir)).toEqual([ANN]);
    // The other run's lock is left alone.
    expect(JSON.parse(fs.readFileSync(`${logFile(dir)}.lock`, 'utf8')).host).toBe('another-host');
  });
});

describe('one lock per log, whatever its spelling', () => {
  it('--log through a symlink contends for the same lock: the second run is refused, everyone gets one copy', async () => {
    const { a, dir, env, hold, server } = await heldClose();
    fs.symlinkSync(path.join('.notify', 'log.jsonl'), path.join(dir, 'alias.jsonl'));
    const b = await runHere(['close', 'launch', '--yes', '--log', 'alias.jsonl'], dir, env);
    expect(b.exitCode, b.stderr).toBe(1);
    expect(b.stderr).toContain('is sending with this log right now');
    hold.open();
    expect((await a).exitCode).toBe(0);
    for (const address of EVERYONE) expect(server.countFor(address)).toBe(1);
    expect(events(dir, 'close.planned')).toHaveLength(1);
    expect(events(dir, 'project.closed')).toHaveLength(1);
  });
});

describe('what the log says was decided is what was sent', () => {
  it('a resumed close whose flags differ from the recorded decisions refuses with exit 2 before sending', async () => {
    const { a, dir, env, hold, server } = await heldClose();
    a.kill('SIGKILL');
    await a;
    hold.open();
    const b = await runHere(['close', 'launch', '--yes', '--summary', 'Something else', '--skip', 'support=not them'], dir, env);
    expect(b.exitCode, b.stderr).toBe(2);
    expect(b.stderr).toMatch(/launch: the decisions were recorded on .+, and this run's --summary, --skip differ from them; nothing was sent/);
    expect(server.received.filter((m) => m.to[0] !== ANN)).toHaveLength(0);
    expect(events(dir, 'party.skipped')).toHaveLength(0);
    // The same command as the first run resumes with the recorded decisions.
    const c = await runHere(['close', 'launch', '--yes'], dir, env);
    // Ann's outcome was made unknown by the kill: the rest is sent, the project stays open for her.
    expect(c.exitCode, c.stderr).toBe(1);
    expect(c.stderr).toContain('an outcome is unknown');
    for (const address of EVERYONE.filter((x) => x !== ANN)) expect(server.countFor(address)).toBe(1);
    expect(server.received.filter((m) => m.subject.includes('Something else'))).toHaveLength(0);
  });

  it('two runs waiting with different answers: the second to get the lock refuses (exit 2), and every message says what the log records', async () => {
    const { reached, hold, smtp } = await holdingServer();
    const dir = project();
    const env = { NOTIFY_SMTP_URL: smtp.url };
    // Another project's close holds the log's lock while both runs decide.
    const holder = spawnCli(['close', 'other', '--title', 'Other work', '--party', 'support', '--summary', 'Other work', '--yes'], dir, env);
    await reached.promise;
    const a = spawnCli(['close', 'launch', '--yes', '--wait', '--summary', 'Version A'], dir, env);
    const b = spawnCli(['close', 'launch', '--yes', '--wait', '--summary', 'Version B', '--skip', 'sales=told in person'], dir, env);
    await Promise.all([a.stderrHas('waiting for it to finish'), b.stderrHas('waiting for it to finish')]);
    hold.open();
    const [rh, ra, rb] = await Promise.all([holder, a, b]);
    expect(rh.exitCode, rh.stderr).toBe(0);
    expect([ra.exitCode, rb.exitCode].sort()).toEqual([0, 2]);
    const loser = ra.exitCode === 2 ? ra : rb;
    expect(loser.stderr).toMatch(/this run's (summary|parties|skipped parties)(, [a-z ]+)* differs? from them; nothing was sent/);
    const planned = events(dir, 'close.planned').filter((e) => e.project === 'launch');
    expect(planned).toHaveLength(1);
    const launchMail = smtp.received.filter((m) => !m.raw.includes('Other work'));
    expect(launchMail.length).toBeGreaterThan(0);
    for (const m of launchMail) expect(m.raw).toContain(planned[0].summary);
    const skipped = events(dir, 'party.skipped');
    expect(skipped.length).toBe(planned[0].skipped.length);
  });
});
