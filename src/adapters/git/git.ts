/**
 * The git adapter: changed files between a ref and HEAD, and the current branch. Only through
 * execa, loaded when git first runs: every close reaches this module (--from-branch), few run git.
 */
import { UsageError } from '../../errors.js';

async function git(cwd: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const { execa } = await import('execa');
  try {
    const r = await execa('git', args, { cwd, reject: false, stripFinalNewline: false, env: { GIT_TERMINAL_PROMPT: '0' } });
    return { ok: r.exitCode === 0, stdout: String(r.stdout), stderr: String(r.stderr) };
  } catch (err) {
    throw new UsageError(`git cannot be run (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'install git, or leave out --since / --from-branch');
  }
}

async function requireRepo(cwd: string, flag: string): Promise<void> {
  const r = await git(cwd, ['rev-parse', '--is-inside-work-tree']);
  if (!r.ok || r.stdout.trim() !== 'true') throw new UsageError(`${flag}: ${cwd} is not inside a git repository`, 'run notify from a clone of the repository, or leave out the flag');
}

/**
 * Files changed on this branch since it left `ref` (git diff REF...HEAD), relative to `dir`;
 * files outside `dir` are left out. Renames count as a deletion and an addition.
 */
export async function changedFiles(dir: string, ref: string): Promise<string[]> {
  await requireRepo(dir, `--since ${ref}`);
  if (ref.startsWith('-')) throw new UsageError(`--since ${ref}: not a git ref`);
  const verify = await git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (!verify.ok) throw new UsageError(`--since ${ref}: no such commit, branch or tag in this repository`, 'fetch it first (in CI: git fetch origin main, or checkout with fetch-depth: 0), or give another ref');
  const diff = await git(dir, ['-c', 'core.quotePath=false', 'diff', '--name-only', '--no-renames', '--relative', '-z', `${ref}...HEAD`, '--']);
  if (!diff.ok) throw new UsageError(`--since ${ref}: git diff failed: ${diff.stderr.trim().split('\n')[0]}`, 'a shallow clone may lack the common ancestor: fetch with more depth');
  return diff.stdout.split('\0').filter(Boolean);
}

/** The checked-out branch name; a detached HEAD is an error naming the CI variables. */
export async function currentBranch(dir: string): Promise<string> {
  await requireRepo(dir, '--from-branch');
  const r = await git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (!r.ok) throw new UsageError('--from-branch: HEAD is detached, so there is no branch name to read', 'set GITHUB_REF_NAME or CI_COMMIT_REF_NAME, or give the project as an argument');
  return r.stdout.trim();
}
