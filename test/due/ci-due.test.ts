import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { planned, sent, workspace } from './fixture.js';

const notify = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
const env = { CI: 'true', NO_COLOR: '1' };

/** The example's commands, as the runner's shell runs them, with this checkout's notify. */
async function runSteps(scripts: string[], cwd: string) {
  const out: { code: number; stdout: string; stderr: string }[] = [];
  for (const s of scripts.filter((x) => x !== 'npm ci')) {
    const r = await execa('bash', ['-e', '-c', s.replace(/npx --no-install notify/g, notify)], { cwd, env, reject: false });
    out.push({ code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr });
  }
  return out;
}

/** A repository with a project whose advisers are overdue (effective in 2020), or only pending (in 2099). */
function repo(overdue: boolean): string {
  const dir = scratchDir();
  const log = overdue
    ? planned('ecard', '2019-12-01T08:00:00.000Z', '2020-01-09', ['advisers', 'sales']) + sent('ecard', '2020-01-02T08:00:00.000Z', 'sales@acme.test', ['sales'])
    : planned('ecard', '2026-01-01T08:00:00.000Z', '2099-01-08', ['advisers']);
  workspace(dir, log);
  return dir;
}

const github = () => parse(fs.readFileSync(path.join(ROOT, 'examples/ci/notify-due.yml'), 'utf8'));
const gitlab = () => parse(fs.readFileSync(path.join(ROOT, 'examples/ci/gitlab-notify-due.yml'), 'utf8'));

describe('the scheduled notify due examples, run for real', () => {
  it('GitHub Actions: on a schedule, the job fails while a party is overdue and passes otherwise', async () => {
    const wf = github();
    expect(wf.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const scripts = wf.jobs.due.steps.filter((s: any) => s.run).map((s: any) => s.run as string);
    const [bad] = await runSteps(scripts, repo(true));
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toContain('overdue ecard  advisers  tell by 2020-01-06 18:00 (+01:00)');
    expect(bad.stdout).toContain('ok      ecard  sales');
    const [good] = await runSteps(scripts, repo(false));
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('pending ecard  advisers  tell by 2099-01-05 18:00 (+01:00)');
  });

  it('GitLab CI: the same, in a job that runs only from a pipeline schedule', async () => {
    const job = gitlab()['notify-due'];
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }]);
    const [bad] = await runSteps(job.script, repo(true));
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toContain('overdue ecard  advisers');
    const [good] = await runSteps(job.script, repo(false));
    expect(good.code, good.stderr).toBe(0);
  });
});

describe('the scheduled examples never run a bare `npx notify`', () => {
  it.each(['examples/ci/notify-due.yml', 'examples/ci/gitlab-notify-due.yml'])('%s', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(text).toContain('npx --no-install notify due');
    expect(text.match(/npx\s+notify\b/g) ?? []).toEqual([]);
  });
});
