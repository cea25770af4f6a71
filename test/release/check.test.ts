import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNotify, spawnNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { smtpError, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { RELEASE_MAP } from './repo.js';

describe('notify check: the CI gate, from the map, the plans and the log only', () => {
  let smtp: TestSmtp;
  let dir: string;
  const env = () => ({ NOTIFY_SMTP_URL: smtp.url });
  beforeEach(async () => {
    smtp = await startSmtp({ onRcpt: (a) => (a === 'legal@example.test' ? smtpError(550, 'no such mailbox') : undefined) });
    dir = scratchDir();
    writeMap(dir, RELEASE_MAP);
  });
  afterEach(() => smtp.close());
  /**
   * The built CLI's exit code is what a CI job reads: the first test and the last run it. The
   * others check what check decides and prints, in-process.
   */
  const here = (args: string[], opts: { cwd: string }) => runNotify(args, opts).then((r) => ({ exitCode: r.code, stdout: r.stdout, stderr: r.stderr }));

  it('exit 1 with the planned parties pending, then exit 0 once the close is done', async () => {
    expect((await runNotify(['plan', 'spring', '--party', 'ops', '--skip', 'support=wrote the mailing'], { cwd: dir })).code).toBe(0);
    let r = await spawnNotify(['check', 'spring', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ project: 'spring', closed: false, notified: [], pending: ['ops', 'board'], failed: [], skipped: [{ party: 'support', reason: 'wrote the mailing' }], late: [] });
    r = await spawnNotify(['check', 'spring'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^ {2}pending: ops$/m);
    expect(r.stdout).toMatch(/^ {2}pending: board$/m);

    expect((await runNotify(['close', 'spring', '--yes'], { cwd: dir, env: env() })).code).toBe(0);
    r = await spawnNotify(['check', 'spring', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ project: 'spring', closed: true, notified: ['ops', 'board'], pending: [], failed: [], skipped: [{ party: 'support', reason: 'wrote the mailing' }], late: [] });
  });

  it('without a plan or a close, the map\'s expected parties are pending', async () => {
    const r = await here(['check', 'spring', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ closed: false, pending: ['support', 'board'] });
  });

  it('a failed send keeps the project open: exit 1 and the failed party is listed', async () => {
    await runNotify(['plan', 'spring', '--party', 'legal'], { cwd: dir });
    const close = await runNotify(['close', 'spring', '--yes'], { cwd: dir, env: env() });
    expect(close.code).toBe(1);
    const r = await here(['check', 'spring', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ closed: false, notified: ['support', 'board'], failed: ['legal'], pending: [] });
    const text = await here(['check', 'spring'], { cwd: dir });
    expect(text.stdout).toMatch(/^ {2}failed: legal$/m);
  });

  it('exit 2 for a config error in the map, an unknown project, or a broken plan', async () => {
    writeMap(dir, RELEASE_MAP.replace('affected_by: [pricing]', 'affected_by: [pricnig]'));
    let r = await here(['check', 'spring'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/notify\.yaml:\d+:\d+: party "legal" names unknown action "pricnig"/);
    writeMap(dir, RELEASE_MAP);
    r = await here(['check', 'sprnig'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('notify: unknown project "sprnig" (did you mean "spring"?)');
    expect(r.stdout).toBe('');
    fs.mkdirSync(path.join(dir, '.notify/plans'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.notify/plans/spring.md'), '---\nproject: spring\nparties: [board, nobody]\nsummary: x\n---\n');
    r = await here(['check', 'spring'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('.notify/plans/spring.md:3:18: unknown party "nobody"');
  });

  it('an ad-hoc project known only from its plan can be checked', async () => {
    expect((await runNotify(['plan', 'hotfix', '--title', 'Hotfix', '--action', 'pricing', '--summary', 'Hotfix prices'], { cwd: dir })).code).toBe(0);
    const r = await here(['check', 'hotfix', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).pending).toEqual(['legal', 'board']);
  });

  it('without a project, checks every planned project: an array, exit 1 until all are closed', async () => {
    let r = await here(['check'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no plan in .notify/plans to check');
    await runNotify(['plan', 'spring'], { cwd: dir });
    expect((await runNotify(['plan', 'hotfix', '--title', 'Hotfix', '--action', 'customer-email', '--summary', 'Hotfix'], { cwd: dir })).code).toBe(0);
    expect((await runNotify(['close', 'spring', '--yes'], { cwd: dir, env: env() })).code).toBe(0);
    r = await here(['check', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).map((x: any) => [x.project, x.closed, x.pending])).toEqual([
      ['hotfix', false, ['support', 'board']],
      ['spring', true, []],
    ]);
    expect((await runNotify(['close', 'hotfix', '--yes'], { cwd: dir, env: env() })).code).toBe(0);
    r = await here(['check', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).every((x: any) => x.closed)).toBe(true);
  });

  it('does not need git: the same answer outside any repository', async () => {
    // dir is a plain temporary folder, not a git repository.
    await runNotify(['plan', 'spring'], { cwd: dir });
    const r = await spawnNotify(['check', 'spring'], { cwd: dir, env: { GIT_DIR: path.join(dir, 'no-such-git-dir') } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('');
  });
});
