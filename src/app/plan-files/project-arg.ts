/**
 * The project a command works on: its argument, or with --from-branch the release branch's name.
 * Either way it is only an id: the command then holds it to the one rule for known projects
 * (app/known-project.ts, with `fromBranch` so the message says where the id came from).
 */
import type { Context } from '../../context.js';
import type { MapLoader } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { projectFromBranch } from '../../adapters/git/branch.js';

export interface ProjectArg {
  project?: string;
  fromBranch?: boolean;
  config?: string;
  log?: string;
  mapLoader: MapLoader;
}

export function resolveProject(o: ProjectArg, ctx: Context): Promise<string>;
/** `optional`: no argument and no --from-branch is no error (undefined). */
export function resolveProject(o: ProjectArg, ctx: Context, optional: true): Promise<string | undefined>;
export async function resolveProject(o: ProjectArg, ctx: Context, optional = false): Promise<string | undefined> {
  if (o.fromBranch && o.project) throw new UsageError(`give the project (${o.project}) or --from-branch, not both`);
  if (o.fromBranch) {
    const { map } = o.mapLoader.load({ cwd: ctx.cwd, env: ctx.env, config: o.config, log: o.log });
    const project = await projectFromBranch(map, ctx);
    if (!ctx.quiet) ctx.stderr.write(`Project ${project}, from the branch name.\n`);
    return project;
  }
  if (!o.project && !optional) throw new UsageError('which project? give its id as an argument, or --from-branch on a release branch');
  return o.project;
}
