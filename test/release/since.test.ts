import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { RELEASE_MAP, commit, git, makeRepo } from './repo.js';

function branchWithChanges(files: Record<string, string>): string {
  const dir = makeRepo({ 'src/app.ts': 'app\n', 'src/billing/old.ts': 'old\n' });
  git(dir, 'checkout', '-q', '-b', 'release/spring');
  commit(dir, files);
  return dir;
}

describe('parties from the diff (--since)', () => {
  it('suggests the party whose paths match the changed files, with those files as the reason', async () => {
    const dir = branchWithChanges({ 'src/billing/invoice.ts': 'x\n', 'src/app.ts': 'changed\n' });
    const r = await runNotify(['stakeholders', '--since', 'main', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: any) => x.id)).toEqual(['billing', 'board']);
    expect(rows[0].reasons).toEqual(['changed: src/billing/invoice.ts']);
  });

  it('only counts changes made on the branch, not on the ref after the branch left it', async () => {
    const dir = makeRepo();
    git(dir, 'checkout', '-q', '-b', 'release/spring');
    commit(dir, { 'deploy/prod.yaml': 'x\n' });
    git(dir, 'checkout', '-q', 'main');
    commit(dir, { 'src/billing/late.ts': 'x\n' });
    git(dir, 'checkout', '-q', 'release/spring');
    const r = await runNotify(['stakeholders', '--since', 'main', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((x: any) => x.id)).toEqual(['ops', 'board']);
  });

  it('counts deleted and renamed files, and root-level globs', async () => {
    const dir = makeRepo({ 'src/billing/old.ts': 'old\n', 'main.tf': 'x\n' });
    git(dir, 'checkout', '-q', '-b', 'release/spring');
    git(dir, 'mv', 'src/billing/old.ts', 'src/moved.ts');
    git(dir, 'rm', '-q', 'main.tf');
    git(dir, 'commit', '-q', '-m', 'move');
    const r = await runNotify(['stakeholders', '--since', 'main', '--json'], { cwd: dir });
    const rows = JSON.parse(r.stdout);
    expect(rows.find((x: any) => x.id === 'billing').reasons).toEqual(['changed: src/billing/old.ts']);
    expect(rows.find((x: any) => x.id === 'ops').reasons).toEqual(['changed: main.tf']);
  });

  it('reads paths relative to the map\'s folder and leaves out files outside it', async () => {
    const dir = makeRepo({ 'svc/notify.yaml': RELEASE_MAP });
    git(dir, 'checkout', '-q', '-b', 'release/spring');
    commit(dir, { 'svc/src/billing/a.ts': 'x\n', 'deploy/root.yaml': 'outside the map folder\n' });
    const r = await runNotify(['stakeholders', '--since', 'main', '--json'], { cwd: path.join(dir, 'svc') });
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: any) => x.id)).toEqual(['billing', 'board']);
    expect(rows[0].reasons).toEqual(['changed: src/billing/a.ts']);
  });

  it('shows a few files and counts the rest', async () => {
    const files = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`src/billing/f${n}.ts`, `${n}\n`]));
    const dir = branchWithChanges(files);
    const r = await runNotify(['stakeholders', '--since', 'main', '--json'], { cwd: dir });
    expect(JSON.parse(r.stdout)[0].reasons).toEqual(['changed: src/billing/f1.ts, src/billing/f2.ts, src/billing/f3.ts and 2 more']);
  });

  it('adds the parties from the diff to a plan, with the files as a comment for reviewers', async () => {
    const dir = branchWithChanges({ 'deploy/k8s.yaml': 'x\n' });
    const r = await runNotify(['plan', 'spring', '--since', 'main'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const text = fs.readFileSync(path.join(dir, '.notify/plans/spring.md'), 'utf8');
    expect(text).toMatch(/^ {2}- ops # changed: deploy\/k8s\.yaml$/m);
    expect(text).toMatch(/^ {2}- support # affected_by: customer-email$/m);
    expect(text).not.toMatch(/- billing/);
  });

  it('a ref that does not exist is a plain error, exit 2, and nothing is written', async () => {
    const dir = branchWithChanges({ 'src/billing/a.ts': 'x\n' });
    for (const args of [['stakeholders'], ['plan', 'spring'], ['close', 'spring', '--yes']]) {
      const r = await runNotify([...args, '--since', 'no-such-branch'], { cwd: dir, env: { NOTIFY_SMTP_URL: 'smtp://127.0.0.1:9' } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^notify: --since no-such-branch: no such commit, branch or tag in this repository$/m);
      expect(r.stdout).toBe('');
    }
    expect(fs.existsSync(path.join(dir, '.notify/plans'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.notify/log.jsonl'))).toBe(false);
  });

  it('outside a git repository, --since says so and exits 2', async () => {
    const dir = scratchDir();
    writeMap(dir, RELEASE_MAP);
    const r = await runNotify(['stakeholders', '--since', 'main'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--since main: .* is not inside a git repository/);
  });

  it('an option-like ref is refused, not passed to git as an option', async () => {
    const dir = branchWithChanges({ 'src/billing/a.ts': 'x\n' });
    const r = await runNotify(['stakeholders', '--since=--output=/tmp/x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a git ref/);
  });
});
