/**
 * decided_by: NOTIFY_DECIDED_BY, else git's "user.name <user.email>", else the operating system's
 * user. The real binary in temporary repositories, with the user's own git configuration kept out
 * (HOME and XDG_CONFIG_HOME point at empty folders, GIT_CONFIG_NOSYSTEM=1), whose report of the
 * log runs in-process; then the fast tier.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SMALL_MAP } from '../fixtures/maps.js';
import { fakeWorld } from '../helpers/fake-ports.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { readLogEvents, runNotify, spawnNotify, tempDir, writeMap } from '../helpers/workspace.js';

let smtp: TestSmtp | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A folder with the map, a separate empty HOME, and an environment that reads no one's git config but the repository's. */
function setup(): { dir: string; env: Record<string, string | undefined> } {
  const root = tempDir('notify-decided-');
  dirs.push(root);
  const dir = path.join(root, 'project');
  const home = path.join(root, 'home');
  fs.mkdirSync(dir);
  fs.mkdirSync(home);
  writeMap(dir, SMALL_MAP);
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: undefined,
    GIT_CONFIG_SYSTEM: undefined,
    GIT_AUTHOR_NAME: undefined,
    GIT_AUTHOR_EMAIL: undefined,
    GIT_COMMITTER_NAME: undefined,
    GIT_COMMITTER_EMAIL: undefined,
    // No repository above the temporary folder is looked at.
    GIT_CEILING_DIRECTORIES: root,
    NOTIFY_DECIDED_BY: undefined,
  };
  return { dir, env };
}

async function gitRepo(dir: string, env: Record<string, string | undefined>, name: string, email: string): Promise<void> {
  const git = (...args: string[]) => execa('git', args, { cwd: dir, env });
  await git('init', '--quiet');
  await git('config', 'user.name', name);
  await git('config', 'user.email', email);
}

async function closeAndReport(dir: string, env: Record<string, string | undefined>): Promise<{ decidedBy: string; report: string; json: any }> {
  smtp = await startSmtp();
  const close = await spawnNotify(['close', 'ecard', '--summary', 'The e-card went out', '--yes'], { cwd: dir, env: { ...env, NOTIFY_SMTP_URL: smtp.url } });
  expect(close.exitCode, close.stderr).toBe(0);
  expect(smtp.received).toHaveLength(4);
  const planned = readLogEvents(dir).find((e) => e.event === 'close.planned');
  // The reports only read the log: in-process.
  const report = await runNotify(['report', 'ecard'], { cwd: dir, env });
  expect(report.code, report.stderr).toBe(0);
  const json = await runNotify(['report', 'ecard', '--format', 'json'], { cwd: dir, env });
  return { decidedBy: planned.decided_by, report: report.stdout, json: JSON.parse(json.stdout) };
}

describe('decided_by, the built binary', () => {
  it('is git\'s "user.name <user.email>" of the map\'s repository when NOTIFY_DECIDED_BY is unset', async () => {
    const { dir, env } = setup();
    await gitRepo(dir, env, 'Ann Example', 'ann@example.test');
    const r = await closeAndReport(dir, env);
    expect(r.decidedBy).toBe('Ann Example <ann@example.test>');
    expect(r.json.decided_by).toBe('Ann Example <ann@example.test>');
    // The Markdown report escapes the angle brackets so they show as written.
    expect(r.report).toContain('**Decided by:** Ann Example &lt;ann@example.test&gt; on ');
    expect(r.report).not.toContain('unknown');
  });

  it('is NOTIFY_DECIDED_BY when it is set, git or not', async () => {
    const { dir, env } = setup();
    await gitRepo(dir, env, 'Ann Example', 'ann@example.test');
    const r = await closeAndReport(dir, { ...env, NOTIFY_DECIDED_BY: 'release-bot (pipeline 812)' });
    expect(r.decidedBy).toBe('release-bot (pipeline 812)');
    expect(r.report).toContain('**Decided by:** release-bot (pipeline 812) on ');
  });

  it('is the operating system user outside any repository and without a git identity', async () => {
    const { dir, env } = setup();
    const r = await closeAndReport(dir, { ...env, USER: 'not-the-user', USERNAME: 'not-the-user' });
    expect(r.decidedBy).toBe(os.userInfo().username);
    expect(r.json.decided_by).toBe(os.userInfo().username);
  });

  it('is written into a plan by notify plan, from git', async () => {
    const { dir, env } = setup();
    await gitRepo(dir, env, 'Bo Reviewer', 'bo@example.test');
    const r = await spawnNotify(['plan', 'ecard', '--summary', 'The e-card went out'], { cwd: dir, env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.notify', 'plans', 'ecard.md'), 'utf8')).toContain('\ndecided_by: Bo Reviewer <bo@example.test>\n');
  });
});

describe('decided_by, fast tier (in-memory ports)', () => {
  const close = (world: ReturnType<typeof fakeWorld>, env: Record<string, string> = {}) =>
    runNotify(['close', 'ecard', '--yes', '--summary', 'The e-card went out'], { cwd: '/nonexistent/notify-fake', ports: world.ports, env });
  const decided = (world: ReturnType<typeof fakeWorld>) => world.events.find((e) => e.event === 'close.planned')!;

  it('takes git\'s identity over the OS user, and NOTIFY_DECIDED_BY over both (on one line)', async () => {
    let world = fakeWorld(SMALL_MAP);
    world.identity = { git: 'Ann Example <ann@example.test>', osUser: 'ann' };
    expect((await close(world)).code).toBe(0);
    expect(decided(world)).toMatchObject({ decided_by: 'Ann Example <ann@example.test>' });

    world = fakeWorld(SMALL_MAP);
    world.identity = { git: 'Ann Example <ann@example.test>', osUser: 'ann' };
    expect((await close(world, { NOTIFY_DECIDED_BY: 'ci\nbot' })).code).toBe(0);
    expect(decided(world)).toMatchObject({ decided_by: 'ci bot' });
  });

  it('falls back to the OS user, and an empty NOTIFY_DECIDED_BY counts as unset', async () => {
    const world = fakeWorld(SMALL_MAP);
    world.identity = { osUser: 'ann' };
    expect((await close(world, { NOTIFY_DECIDED_BY: '  ' })).code).toBe(0);
    expect(decided(world)).toMatchObject({ decided_by: 'ann' });
  });
});
