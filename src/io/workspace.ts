/** What most commands start with: the validated map, and the log folded into project states. */
import { loadMap, displayPath } from '../config/load.js';
import type { StakeholderMap } from '../core/map.js';
import { foldProjects, emptyState, type ProjectState } from '../core/state.js';
import type { Context } from '../context.js';
import { readLog } from './log.js';

export interface MapOptions {
  config?: string;
  log?: string;
}

export function openMap(opts: MapOptions, ctx: Context): StakeholderMap {
  const { map, warnings } = loadMap({ cwd: ctx.cwd, env: ctx.env, config: opts.config, log: opts.log });
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`${w}\n`);
  return map;
}

export function logName(map: StakeholderMap, ctx: Context): string {
  return displayPath(ctx.cwd, map.log);
}

/** Fold the log; with a project, lines of other projects are skipped before they are parsed. */
export async function readStates(map: StakeholderMap, ctx: Context, project?: string): Promise<Map<string, ProjectState>> {
  const needle = project ? `"project":${JSON.stringify(project)}` : undefined;
  const { events, warnings } = await readLog(map.log, logName(map, ctx), needle ? (line) => line.includes(needle) : undefined);
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`notify: warning: ${w}\n`);
  return foldProjects(project ? events.filter((e) => e.project === project) : events);
}

export async function readState(map: StakeholderMap, ctx: Context, project: string): Promise<ProjectState> {
  return (await readStates(map, ctx, project)).get(project) ?? emptyState(project);
}
