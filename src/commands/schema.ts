/** notify schema: print the JSON Schema of the map, for editors and other tools, or refresh the map's copy of it. */
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { displayPath, findMap, MAP_FILE } from '../config/load.js';
import { EXIT, UsageError } from '../errors.js';
import { copyTarget, readSchemaRef, SCHEMA_COPY, SCHEMA_FILE, writeSchemaCopy } from '../app/init/schema-ref.js';

export interface SchemaOptions {
  config?: string;
  path?: boolean;
  write?: boolean;
}

export async function runSchema(o: SchemaOptions, ctx: Context): Promise<number> {
  if (o.path && o.write) throw new UsageError('--path and --write do different things; give one of them');
  if (o.write) return writeCopy(o, ctx);
  ctx.stdout.write(o.path ? `${SCHEMA_FILE}\n` : fs.readFileSync(SCHEMA_FILE, 'utf8'));
  return EXIT.ok;
}

/** The map, if there is one; with no map anywhere, the copy goes in the current folder. */
function mapFile(o: SchemaOptions, ctx: Context): string | undefined {
  if (o.config !== undefined || ctx.env.NOTIFY_CONFIG) return findMap(ctx.cwd, ctx.env, o.config);
  try {
    return findMap(ctx.cwd, ctx.env);
  } catch (err) {
    if (err instanceof UsageError) return undefined;
    throw err;
  }
}

function writeCopy(o: SchemaOptions, ctx: Context): number {
  const map = mapFile(o, ctx);
  const dir = map ? path.dirname(map) : ctx.cwd;
  const ref = map ? readSchemaRef(fs.readFileSync(map, 'utf8')) : undefined;
  const target = copyTarget(dir, ref);
  writeSchemaCopy(target, ctx.cwd);
  ctx.stdout.write(`${displayPath(ctx.cwd, target)}\n`);
  if (ctx.quiet) return EXIT.ok;
  const shown = map ? displayPath(ctx.cwd, map) : MAP_FILE;
  const wanted = `./${SCHEMA_COPY}`;
  if (ref === undefined) ctx.stderr.write(`${shown} has no $schema line; make its first line "# yaml-language-server: $schema=${wanted}" for editors to use this copy\n`);
  else if (path.resolve(dir, ref) !== target) ctx.stderr.write(`${shown} points its $schema line at ${ref}; change it to ${wanted} for editors to use this copy\n`);
  return EXIT.ok;
}
