/** The log folded into project states: whole, for one project, through the index, or streamed. */
import type { StakeholderMap } from '../core/map.js';
import { foldProjects, emptyState, type ProjectState } from '../core/state.js';
import type { Context } from '../context.js';
import { readLog } from './log.js';
import { foldAllProjects } from './log-fold.js';
import { indexFile, readProjectEvents } from './log-index.js';
import { cacheDir, cacheDisabled } from '../config/map-cache.js';
import { logName } from './workspace.js';

/** Fold the log; with a project, lines of other projects are skipped before they are parsed. */
export async function readStates(map: StakeholderMap, ctx: Context, project?: string): Promise<Map<string, ProjectState>> {
  const needle = project ? `"project":${JSON.stringify(project)}` : undefined;
  const { events, warnings } = await readLog(map.log, logName(map, ctx), needle ? (line) => line.includes(needle) : undefined);
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`notify: warning: ${w}\n`);
  return foldProjects(project ? events.filter((e) => e.project === project) : events);
}

/**
 * One project's state through the log index (see log-index.ts): for read-only commands on big
 * logs. A close reads the whole log under its lock instead.
 */
export async function readIndexedState(map: StakeholderMap, ctx: Context, project: string): Promise<ProjectState> {
  if (cacheDisabled(ctx.env)) return readState(map, ctx, project);
  const { events, warnings } = await readProjectEvents(map.log, logName(map, ctx), project, indexFile(cacheDir(map.file), map.log));
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`notify: warning: ${w}\n`);
  return foldProjects(events).get(project) ?? emptyState(project);
}

/** Every project's state, streamed; closed projects keep only what their summary needs. */
export async function readSummaryStates(map: StakeholderMap, ctx: Context): Promise<Map<string, ProjectState>> {
  const { states, warnings } = await foldAllProjects(map.log, logName(map, ctx));
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`notify: warning: ${w}\n`);
  return states;
}

export async function readState(map: StakeholderMap, ctx: Context, project: string): Promise<ProjectState> {
  return (await readStates(map, ctx, project)).get(project) ?? emptyState(project);
}

/** One project's state from the whole log (a close reads it so, under its lock); warnings returned. */
export async function readProjectState(map: StakeholderMap, shown: string, project: string): Promise<{ state: ProjectState; warnings: string[] }> {
  const needle = `"project":${JSON.stringify(project)}`;
  const { events, warnings } = await readLog(map.log, shown, (line) => line.includes(needle));
  const state = foldProjects(events.filter((e) => e.project === project)).get(project) ?? emptyState(project);
  return { state, warnings };
}
