/**
 * What every command starts with: the validated map. (The log, folded into project states, is
 * in project-states.ts: commands that only read the map, like stakeholders, never load it.)
 */
import { displayPath, type MapLoader } from '../config/load.js';
import type { StakeholderMap } from '../core/map.js';
import type { Context } from '../context.js';

export interface MapOptions {
  config?: string;
  log?: string;
  /** Prepared by the CLI before the command ran (config/load.ts). */
  mapLoader: MapLoader;
}

export function openMap(opts: MapOptions, ctx: Context): StakeholderMap {
  const { map, warnings } = opts.mapLoader.load({ cwd: ctx.cwd, env: ctx.env, config: opts.config, log: opts.log });
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`${w}\n`);
  return map;
}

export function logName(map: StakeholderMap, ctx: Context): string {
  return displayPath(ctx.cwd, map.log);
}
