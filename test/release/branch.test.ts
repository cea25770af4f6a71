import { describe, expect, it } from 'vitest';
import { runNotify, spawnNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { NO_CI_BRANCH, RELEASE_MAP, commit, git, makeRepo } from './repo.js';
import { matchBranch } from '../../src/adapters/git/branch.js';

describe('--from-branch: the project from the release branch', () => {
  it('picks the project from release/<project> for check and close', async () => {
    const dir = makeRepo();
    git(dir, 'checkout', '-q', '-b', 'release/spring');
    let r = await spawnNotify(['check', '--from-branch', '--json'], { cwd: dir, env: NO_CI_BRANCH });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).project).toBe('spring');
    expect(r.stderr).toContain('Project spring, from the branch name.');
    // The same choice of project by close, in-process.
    const dry = await runNotify(['close', '--from-branch', '--dry-run'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run for spring: 2 messages would be sent/);
  });

  it('plan --from-branch writes the plan of the release branch\'s project', async () => {
    const dir = makeRepo();
    git(dir, 'checkout', '-q', '-b', 'release/autumn');
    const r = await spawnNotify(['plan', '--from-branch', '--action', 'pricing', '--summary', 'Autumn prices', '--title', 'Autumn'], { cwd: dir, env: NO_CI_BRANCH });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('Project autumn, from the branch name.');
    expect(r.stdout.trim()).toBe('.notify/plans/autumn.md');
    const both = await runNotify(['plan', 'autumn', '--from-branch'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give the project (autumn) or --from-branch, not both');
  });

  it('fails clearly on main, exit 2, nothing sent', async () => {
    const dir = makeRepo();
    // check with the built CLI; close and plan, the same refusal, in-process.
    const env = { ...NO_CI_BRANCH, NOTIFY_SMTP_URL: 'smtp://127.0.0.1:9' };
    const runs = [
      () => spawnNotify(['check', '--from-branch'], { cwd: dir, env }),
      ...[['close', '--from-branch', '--yes'], ['plan', '--from-branch', '--yes']].map((args) => () => runNotify(args, { cwd: dir, env }).then((r) => ({ exitCode: r.code, stdout: r.stdout, stderr: r.stderr }))),
    ];
    for (const run of runs) {
      const r = await run();
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('notify: --from-branch: branch "main" (from the checked-out branch) is not a release branch: it does not match "release/{project}"');
      expect(r.stderr).toContain('give the project as an argument');
      expect(r.stdout).toBe('');
    }
  });

  it('reads the branch from GITHUB_REF_NAME or CI_COMMIT_REF_NAME before git (CI checkouts are often detached)', async () => {
    const dir = makeRepo();
    git(dir, 'checkout', '-q', '--detach');
    let r = await runNotify(['check', '--from-branch', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HEAD is detached');
    r = await runNotify(['check', '--from-branch', '--json'], { cwd: dir, env: { GITHUB_REF_NAME: 'release/spring' } });
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).project).toBe('spring');
    r = await runNotify(['check', '--from-branch', '--json'], { cwd: dir, env: { CI_COMMIT_REF_NAME: 'release/autumn' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown project "autumn"');
    r = await runNotify(['check', '--from-branch'], { cwd: dir, env: { GITHUB_REF_NAME: 'main' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('branch "main" (from GITHUB_REF_NAME) is not a release branch');
  });

  it('follows branch_pattern: from the map', async () => {
    const dir = makeRepo({}, `branch_pattern: "ship-{project}-now"\n${RELEASE_MAP}`);
    git(dir, 'checkout', '-q', '-b', 'ship-spring-now');
    let r = await runNotify(['check', '--from-branch', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).project).toBe('spring');
    git(dir, 'checkout', '-q', '-b', 'release/spring');
    r = await runNotify(['check', '--from-branch'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not match "ship-{project}-now"');
  });

  it('a branch_pattern without {project} is a config error at its line', async () => {
    const dir = scratchDir();
    writeMap(dir, `${RELEASE_MAP}branch_pattern: "release/*"\n`);
    const r = await runNotify(['check', 'spring'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`notify.yaml:${RELEASE_MAP.split('\n').length}:17: branch_pattern "release/*" must contain {project} exactly once`);
  });

  it('refuses a branch that names an impossible project id, both a project and --from-branch, and no git repository', async () => {
    const dir = makeRepo();
    let r = await runNotify(['check', '--from-branch'], { cwd: dir, env: { GITHUB_REF_NAME: 'release/Spring Sale' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('names project "Spring Sale" is not a simple id');
    r = await runNotify(['check', 'spring', '--from-branch'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give the project (spring) or --from-branch, not both');
    r = await runNotify(['close', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('which project? give its id as an argument, or --from-branch');
    const plain = scratchDir();
    writeMap(plain, RELEASE_MAP);
    r = await runNotify(['close', '--from-branch', '--yes'], { cwd: plain });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from-branch: .* is not inside a git repository/);
  });

  it('matches patterns literally apart from {project}', () => {
    expect(matchBranch('release/spring', 'release/{project}')).toBe('spring');
    expect(matchBranch('releaseXspring', 'release.{project}')).toBeUndefined();
    expect(matchBranch('release/a/b', 'release/{project}')).toBe('a/b');
    expect(matchBranch('v-spring-rc', 'v-{project}-rc')).toBe('spring');
    expect(matchBranch('hotfix/spring', 'release/{project}')).toBeUndefined();
  });
});

describe('a release branch from plan to passing check', () => {
  it('plan committed on the branch, close --from-branch in "CI", then check --from-branch passes', async () => {
    const { startSmtp } = await import('../helpers/smtp.js');
    const smtp = await startSmtp();
    try {
      const dir = makeRepo();
      git(dir, 'checkout', '-q', '-b', 'release/spring');
      commit(dir, { 'src/billing/tax.ts': 'x\n' });
      expect((await runNotify(['plan', 'spring', '--since', 'main'], { cwd: dir })).code).toBe(0);
      git(dir, 'add', '.notify/plans/spring.md');
      git(dir, 'commit', '-q', '-m', 'notify: plan for spring');
      const env = { ...NO_CI_BRANCH, NOTIFY_SMTP_URL: smtp.url };
      let r = await spawnNotify(['check', '--from-branch'], { cwd: dir, env });
      expect(r.exitCode).toBe(1);
      r = await spawnNotify(['close', '--from-branch', '--yes'], { cwd: dir, env });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['ann@example.test', 'billing@example.test', 'board@example.test', 'support@example.test']);
      r = await spawnNotify(['check', '--from-branch'], { cwd: dir, env });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('spring is closed');
    } finally {
      await smtp.close();
    }
  });
});
