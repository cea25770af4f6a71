import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT, readLogEvents, spawnNotify } from '../helpers/workspace.js';
import { workspaceForEach } from '../fixtures/close-workspace.js';
import { buildProgram } from '../../src/program.js';
import { isCI, isInteractive } from '../../src/adapters/terminal/real-context.js';
import { RELEASE_MAP } from './repo.js';

describe('in CI (CI=true, no terminal) nothing prompts; every missing answer is exit 2 naming its flag', () => {
  const ws = workspaceForEach(RELEASE_MAP);

  it.each([
    ['close, no summary', ['close', 'hotfix', '--title', 'Hotfix', '--action', 'pricing', '--yes'], /give --summary "what changed"/],
    ['plan, no summary', ['plan', 'hotfix', '--title', 'Hotfix', '--action', 'pricing'], /give --summary "what changed"/],
    ['close, no action for an ad-hoc project', ['close', 'hotfix', '--title', 'Hotfix', '--summary', 'Hotfix', '--yes'], /give --action ID/],
    ['close, no --title for an id nobody knows', ['close', 'hotfix', '--action', 'pricing', '--summary', 'Hotfix', '--yes'], /unknown project "hotfix"\n.*give its title: notify close hotfix --title/],
    ['close, no confirmation', ['close', 'spring'], /run with --yes/],
    ['close, no project', ['close', '--yes'], /give its id as an argument, or --from-branch/],
  ])('%s', async (_what, args, flag) => {
    const r = await spawnNotify(args, { cwd: ws.dir, env: { CI: 'true', NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(flag);
    expect(r.stderr).not.toContain('a question was needed');
    expect(r.stdout).toBe('');
    expect(ws.smtp.received).toHaveLength(0);
    expect(readLogEvents(ws.dir)).toEqual([]);
    expect(fs.existsSync(path.join(ws.dir, '.notify/plans'))).toBe(false);
  });

  it('CI set to anything but false or 0 turns prompts off, even on a terminal; so does --no-input', () => {
    expect(isInteractive({}, true, true)).toBe(true);
    expect(isInteractive({ CI: 'true' }, true, true)).toBe(false);
    expect(isInteractive({ CI: '1' }, true, true)).toBe(false);
    expect(isInteractive({ CI: 'false' }, true, true)).toBe(true);
    expect(isInteractive({}, false, true)).toBe(false);
    expect(isInteractive({}, true, false)).toBe(false);
    expect(isInteractive({}, true, true, false)).toBe(false);
    // The same reading decides whether progress is redrawn in place or printed line by line.
    expect([isCI({ CI: '0' }), isCI({ CI: '' }), isCI({ CI: 'false' }), isCI({ CI: 'true' }), isCI({ CI: 'woodpecker' })]).toEqual([false, false, false, true, true]);
  });
});

/** Every `notify ...` command line in a shell script, as its arguments. */
function notifyCommands(scripts: string[]): string[][] {
  const out: string[][] = [];
  for (const script of scripts) {
    for (const line of script.split('\n')) {
      const m = /(?:^|\s)(?:npx\s+)?notify\s+([^#|;&]*)/.exec(line);
      if (m) out.push(m[1].trim().split(/\s+/));
    }
  }
  return out;
}

function checkAgainstProgram(commands: string[][]): void {
  const program = buildProgram(() => {
    throw new Error('not run');
  }, () => undefined);
  const globals = program.options.flatMap((o) => [o.long, o.short]);
  for (const args of commands) {
    const name = args.find((a) => !a.startsWith('-'))!;
    const cmd = program.commands.find((c) => c.name() === name);
    expect(cmd, `notify ${args.join(' ')}`).toBeDefined();
    const known = new Set([...globals, ...cmd!.options.flatMap((o) => [o.long, o.short])]);
    for (const flag of args.filter((a) => a.startsWith('-'))) expect(known.has(flag.split('=')[0]), `notify ${args.join(' ')}: ${flag}`).toBe(true);
  }
}

describe('the CI examples', () => {
  const read = (name: string) => parse(fs.readFileSync(path.join(ROOT, 'examples/ci', name), 'utf8'));

  it('the GitHub Actions workflow is valid YAML, runs on release branches, closes then checks with commands that exist', () => {
    const wf = read('github-actions.yml');
    expect(wf.on.push.branches).toEqual(['release/**']);
    const steps: any[] = wf.jobs.notify.steps;
    const runs = steps.filter((s) => s.run).map((s) => s.run as string);
    const commands = notifyCommands(runs);
    expect(commands.map((c) => c.join(' '))).toEqual(['close --from-branch --yes', 'log --verify', 'check --from-branch']);
    checkAgainstProgram(commands);
    const close = steps.find((s) => /notify close/.test(s.run ?? ''));
    expect(close.env.NOTIFY_SMTP_URL).toBe('${{ secrets.NOTIFY_SMTP_URL }}');
    expect(steps.indexOf(close)).toBeLessThan(steps.findIndex((s) => /notify check/.test(s.run ?? '')));
  });

  it('the GitLab CI job is valid YAML, runs on release branches, closes then checks with commands that exist', () => {
    const job = read('gitlab-ci.yml').notify;
    expect(job.rules[0].if).toBe('$CI_COMMIT_BRANCH =~ /^release\\//');
    const lines = [...job.script, ...job.after_script];
    // A plain YAML scalar with ": " in it would silently become a mapping, not a command.
    for (const l of lines) expect(typeof l, JSON.stringify(l)).toBe('string');
    const commands = notifyCommands(lines);
    expect(commands.map((c) => c.join(' '))).toEqual(['close --from-branch --yes', 'check --from-branch', 'log --verify']);
    checkAgainstProgram(commands);
    expect(job.artifacts.paths).toEqual(['.notify/log.jsonl']);
  });

  it('the command check itself catches an unknown subcommand or flag', () => {
    expect(() => checkAgainstProgram([['clsoe', '--yes']])).toThrow();
    expect(() => checkAgainstProgram([['check', '--from-brnach']])).toThrow();
  });
});

describe('the CI examples and the README never run a bare `npx notify`', () => {
  // Where notify-close is not installed, a bare `npx notify` fetches an unrelated registry
  // package named "notify" and runs it with NOTIFY_SMTP_URL in its environment.
  it.each(['README.md', 'examples/ci/github-actions.yml', 'examples/ci/gitlab-ci.yml'])('%s', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(text).toContain('npx --no-install notify');
    expect(text.match(/npx\s+notify\b/g) ?? []).toEqual([]);
  });
});
