/**
 * What every command starts with: the validated map, through the map port. Reads of the log
 * go through the log port (ctx.ports.log); their warnings are printed with `warn`.
 */
import { displayPath } from '../config/load.js';
import type { StakeholderMap } from '../domain/map.js';
import type { Context } from '../context.js';
import type { MapOptions, Read } from '../ports.js';

export type { MapOptions };

export async function openMap(opts: MapOptions, ctx: Context): Promise<StakeholderMap> {
  const { map, warnings } = await ctx.ports.maps.open(opts, ctx.cwd, ctx.env);
  if (!ctx.quiet) for (const w of warnings) ctx.stderr.write(`${w}\n`);
  return map;
}

export function logName(map: StakeholderMap, ctx: Context): string {
  return displayPath(ctx.cwd, map.log);
}

/** The value of a read of the log, its warnings printed (unless --quiet). */
export function warned<T>(read: Read<T>, ctx: Context): T {
  if (!ctx.quiet) for (const w of read.warnings) ctx.stderr.write(`notify: warning: ${w}\n`);
  return read.value;
}
