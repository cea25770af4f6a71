import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runNotify } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { commit, git, makeRepo } from './repo.js';

const GIT_ENV = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

describe('the GitHub Actions example, its shell steps run for real on a release branch', () => {
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
  });
  afterEach(() => smtp.close());

  it('sends from the committed plan, pushes the log back, and the gate passes', async () => {
    // The team's repository: a remote, and the plan reviewed and merged on release/spring.
    const origin = scratchDir('notify-origin-');
    git(origin, 'init', '-q', '--bare', '-b', 'main');
    const work = makeRepo();
    git(work, 'remote', 'add', 'origin', origin);
    git(work, 'checkout', '-q', '-b', 'release/spring');
    expect((await runNotify(['plan', 'spring', '--party', 'ops'], { cwd: work })).code).toBe(0);
    commit(work, {}, 'notify: plan for spring');
    git(work, 'push', '-q', '-u', 'origin', 'release/spring');

    // The runner's checkout.
    const runner = scratchDir('notify-runner-');
    git(runner, 'clone', '-q', '-b', 'release/spring', origin, '.');
    const steps: any[] = parse(fs.readFileSync(path.join(ROOT, 'examples/ci/github-actions.yml'), 'utf8')).jobs.notify.steps;
    const env = { ...GIT_ENV, CI: 'true', GITHUB_REF_NAME: 'release/spring', GITHUB_HEAD_REF: '', NOTIFY_SMTP_URL: smtp.url, NO_COLOR: '1' };
    const results: number[] = [];
    for (const step of steps.filter((s) => s.run && s.run !== 'npm ci')) {
      const script = (step.run as string).replace(/npx --no-install notify/g, `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`);
      const r = await execa('bash', ['-e', '-c', script], { cwd: runner, env, reject: false });
      expect(r.exitCode, `${step.name}\n${r.stderr}`).toBe(0);
      results.push(r.exitCode!);
    }
    expect(results).toHaveLength(3);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['board@example.test', 'ops@example.test', 'support@example.test']);

    // The log is on the branch in the remote, and a second run sends nothing.
    const log = git(origin, 'show', 'release/spring:.notify/log.jsonl');
    expect(log.split('\n').map((l) => JSON.parse(l).event).at(-1)).toBe('project.closed');
    const again = scratchDir('notify-runner-');
    git(again, 'clone', '-q', '-b', 'release/spring', origin, '.');
    const close = steps.find((s) => /notify close/.test(s.run ?? '')).run.replace(/npx --no-install notify/g, `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`);
    const r = await execa('bash', ['-e', '-c', close], { cwd: again, env, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('spring was closed on');
    expect(smtp.received).toHaveLength(3);
  });
});
