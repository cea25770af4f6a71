/** notify log --verify: a report of the log file's problems, each with its line; exit 1 if any. */
import path from 'node:path';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import { displayPath } from '../config/load.js';
import { logName, openMap, type MapOptions } from '../app/workspace.js';

export async function runLogVerify(o: MapOptions & { json?: boolean }, ctx: Context): Promise<number> {
  // With --log the map is not needed: a CI job can verify a log artifact on its own.
  let file: string;
  let shown: string;
  if (o.log) {
    file = path.resolve(ctx.cwd, o.log);
    shown = displayPath(ctx.cwd, file);
  } else {
    const map = await openMap(o, ctx);
    file = map.log;
    shown = logName(map, ctx);
  }
  const result = await ctx.ports.log.verify(file, shown);
  if (o.json) ctx.stdout.write(`${JSON.stringify({ ...result, ok: result.problems.length === 0 }, null, 2)}\n`);
  else for (const p of result.problems) ctx.stdout.write(`${shown}:${p.line}: ${p.message}\n`);
  const s = ctx.style;
  if (!ctx.quiet && !o.json) {
    ctx.stderr.write(
      result.problems.length === 0
        ? `${s.tick} ${shown}: ${result.events} event${result.events === 1 ? '' : 's'}, no problem\n`
        : `${s.cross} ${shown}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`,
    );
  }
  return result.problems.length === 0 ? EXIT.ok : EXIT.incomplete;
}
