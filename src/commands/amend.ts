/** notify amend <project>: tell a party that was left out of a close, or send everyone told a correction. */
import type { Context } from '../context.js';
import { didYouMean } from '../domain/slug.js';
import { UsageError } from '../errors.js';
import { checkProjectId } from '../app/close/decide.js';
import { amendProject, type AmendRun } from '../app/amend/flow.js';
import { logName, openMap, warned } from '../app/workspace.js';
import type { MapOptions } from '../ports.js';

export interface AmendOptions extends MapOptions, AmendRun {
  project: string;
}

export async function runAmend(o: AmendOptions, ctx: Context): Promise<number> {
  checkProjectId(o.project);
  const map = await openMap(o, ctx);
  const shown = logName(map, ctx);
  const state = warned(await ctx.ports.log.readState(map, shown, o.project), ctx);
  if (!state.planned && !map.projects.has(o.project)) {
    // The ids the log knows too (ad-hoc projects): read only on this error path.
    const logged = warned(await ctx.ports.log.readSummaryStates(map, shown), ctx).keys();
    throw new UsageError(`unknown project "${o.project}"${didYouMean(o.project, [...map.projects.keys(), ...logged])}; nothing was sent`, 'notify status lists the projects');
  }
  return amendProject(map, state, shown, o, ctx);
}
