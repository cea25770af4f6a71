/**
 * execa (135-145 ms of module loading) is for the runs that start a child process: sendmail,
 * git, smtp.password_command, opening a browser. A close that needs none of them never loads it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceForEach, once, counts, PROMO_RECIPIENTS } from '../fixtures/close-workspace.js';
import { readLogEvents, spawnNotify, writeMap } from '../helpers/workspace.js';
import { SMALL_MAP } from '../fixtures/maps.js';

const HOOK = { NODE_OPTIONS: `--import ${path.join(import.meta.dirname, 'report-execa-import.mjs')}` };
// A branch name from CI variables would spare git; these runs must not depend on where they run.
const NO_CI_BRANCH = { GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '', CI_COMMIT_REF_NAME: '' };
const MARK = '[execa imported]';

describe('execa loads only on the paths that run a child process', () => {
  const ws = workspaceForEach();

  it('close --dry-run does not load it', async () => {
    const r = await spawnNotify(['close', 'promo', '--summary', 'New prices', '--dry-run', '--yes'], { cwd: ws.dir, env: { ...HOOK, ...NO_CI_BRANCH } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('To: boss@acme.test');
    expect(r.stderr).not.toContain(MARK);
  });

  it('a real close over SMTP does not load it, and sends every message once', async () => {
    const r = await spawnNotify(['close', 'promo', '--summary', 'New prices', '--yes'], { cwd: ws.dir, env: { ...HOOK, ...NO_CI_BRANCH, NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toContain(MARK);
    expect(counts(ws.smtp)).toEqual(once(PROMO_RECIPIENTS));
    expect(readLogEvents(ws.dir).at(-1).event).toBe('project.closed');
  });

  it('the check can fail: --from-branch runs git, and loads it', async () => {
    const r = await spawnNotify(['close', '--from-branch', '--summary', 'New prices', '--dry-run', '--yes'], { cwd: ws.dir, env: { ...HOOK, ...NO_CI_BRANCH } });
    expect(r.stderr).toContain(MARK);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not inside a git repository/);
  });

  it('a map with smtp.password_command loads it for the close that runs the command, and the close goes through', async () => {
    writeMap(ws.dir, SMALL_MAP.replace('locale: en\n', 'locale: en\nsmtp:\n  url: smtp://127.0.0.1:1\n  user: bot\n  password_command: "echo s3cret"\n'));
    const r = await spawnNotify(['close', 'promo', '--summary', 'New prices', '--yes'], { cwd: ws.dir, env: { ...HOOK, ...NO_CI_BRANCH, NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.stderr).toContain(MARK);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(counts(ws.smtp)).toEqual(once(PROMO_RECIPIENTS));
    expect(r.stderr + r.stdout).not.toContain('s3cret');
  });
});
