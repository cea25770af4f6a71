/** --from-branch: the project id read from the branch name (release/<project> unless the map says otherwise). */
import type { Context } from '../../context.js';
import type { StakeholderMap } from '../../domain/map.js';
import { slugProblem } from '../../domain/slug.js';
import { UsageError } from '../../errors.js';
import { currentBranch } from './git.js';

export const DEFAULT_BRANCH_PATTERN = 'release/{project}';

/** The project a branch names under `pattern` ("release/{project}"), or undefined if it does not match. */
export function matchBranch(branch: string, pattern: string): string | undefined {
  const [before, after] = pattern.split('{project}');
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^${escape(before)}(.+)${escape(after ?? '')}$`).exec(branch);
  return m?.[1];
}

/** CI variables first (a CI checkout is often a detached HEAD), then git. */
export async function branchName(ctx: Context): Promise<{ branch: string; from: string }> {
  for (const name of ['GITHUB_HEAD_REF', 'GITHUB_REF_NAME', 'CI_COMMIT_REF_NAME']) {
    const value = ctx.env[name]?.trim();
    if (value) return { branch: value, from: name };
  }
  return { branch: await currentBranch(ctx.cwd), from: 'git' };
}

export async function projectFromBranch(map: StakeholderMap, ctx: Context): Promise<string> {
  const pattern = map.branchPattern ?? DEFAULT_BRANCH_PATTERN;
  const { branch, from } = await branchName(ctx);
  const project = matchBranch(branch, pattern);
  const where = from === 'git' ? 'the checked-out branch' : `${from}`;
  if (project === undefined) {
    throw new UsageError(
      `--from-branch: branch "${branch}" (from ${where}) is not a release branch: it does not match "${pattern}"`,
      `run it on a branch such as "${pattern.replace('{project}', 'my-project')}", give the project as an argument, or set branch_pattern: in the map`,
    );
  }
  const problem = slugProblem(project);
  if (problem) throw new UsageError(`--from-branch: branch "${branch}" names project ${problem}`);
  return project;
}
