/** The log folded into project states: whole, for one project, through the index, or streamed. */
import type { StakeholderMap } from '../../domain/map.js';
import type { NotifyEvent } from '../../domain/events.js';
import { foldProjects, emptyState, type ProjectState } from '../../domain/state.js';
import type { Read } from '../../ports.js';
import { readLog } from './log.js';
import { foldAllProjects } from './log-fold.js';
import { indexFile, readProjectEvents } from './log-index.js';
import { cacheDir, cacheDisabled } from '../../config/map-cache.js';

/** Events in file order; with a project, lines of other projects are skipped before they are parsed. */
export async function readEvents(file: string, shown: string, project?: string): Promise<Read<NotifyEvent[]>> {
  const needle = project ? `"project":${JSON.stringify(project)}` : undefined;
  const { events, warnings } = await readLog(file, shown, needle ? (line) => line.includes(needle) : undefined);
  return { value: project ? events.filter((e) => e.project === project) : events, warnings };
}

/**
 * One project's state through the log index (see log-index.ts): for read-only commands on big
 * logs. A close reads the whole log under its lock instead.
 */
export async function readIndexedState(map: StakeholderMap, shown: string, project: string, env: Record<string, string | undefined>): Promise<Read<ProjectState>> {
  if (cacheDisabled(env)) {
    return readProjectState(map, shown, project);
  }
  const { events, warnings } = await readProjectEvents(map.log, shown, project, indexFile(cacheDir(map.file), map.log));
  return { value: foldProjects(events).get(project) ?? emptyState(project), warnings };
}

/** Every project's state, streamed; closed projects keep only what their summary needs. */
export async function readSummaryStates(map: StakeholderMap, shown: string): Promise<Read<Map<string, ProjectState>>> {
  const { states, warnings, reread } = await foldAllProjects(map.log, shown);
  for (const project of reread) states.set(project, (await readProjectState(map, shown, project)).value);
  return { value: states, warnings };
}

/** One project's state from the whole log (a close reads it so, under its lock). */
export async function readProjectState(map: StakeholderMap, shown: string, project: string): Promise<Read<ProjectState>> {
  const { value, warnings } = await readEvents(map.log, shown, project);
  return { value: foldProjects(value).get(project) ?? emptyState(project), warnings };
}
