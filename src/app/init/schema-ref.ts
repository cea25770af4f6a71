/**
 * What a map's `$schema=` line points at, so that editors find the schema offline: the schema of
 * notify-close installed in a node_modules of the map's folder or a parent (npm keeps it current),
 * else a copy beside the map, which `notify schema --write` refreshes after an upgrade.
 */
import fs from 'node:fs';
import path from 'node:path';
import { displayPath } from '../../config/load.js';
import { packageFile } from '../../package-root.js';
import { UsageError } from '../../errors.js';

const PACKAGE = 'notify-close';
/** The copy beside the map. */
export const SCHEMA_COPY = 'notify.schema.json';
/** The schema this notify ships. */
export const SCHEMA_FILE = packageFile('schema', 'notify.schema.json');

const LINE = /^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$/;

/** `ref` as written on the map's first line; `copy`: the file to write for it, when it is a copy. */
export interface SchemaRef {
  ref: string;
  copy?: string;
}

/** A path from `dir` as a map's $schema line writes it: forward slashes, starting with ./ or ../. */
function relativeRef(dir: string, file: string): string {
  const rel = path.relative(dir, file).split(path.sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/** The installed package's schema, from the map's folder up, relative to the map's folder. */
export function installedSchemaRef(mapDir: string): string | undefined {
  for (let dir = path.resolve(mapDir); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', PACKAGE, 'schema', SCHEMA_COPY);
    if (fs.existsSync(file)) return relativeRef(mapDir, file);
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function schemaRef(mapDir: string): SchemaRef {
  return installedSchemaRef(mapDir) ? { ref: installedSchemaRef(mapDir)! } : { ref: `./${SCHEMA_COPY}`, copy: path.join(mapDir, SCHEMA_COPY) };
}

/** The $schema reference on the first lines of a map's text, if it has one. */
export function readSchemaRef(text: string): string | undefined {
  for (const line of text.split(/\r?\n/, 5)) {
    const m = LINE.exec(line.trim());
    if (m) return m[1];
  }
  return undefined;
}

/** The local file a reference names, relative to the map's folder; undefined for a URL. */
export function refFile(mapDir: string, ref: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref)) return undefined;
  return path.resolve(mapDir, ref);
}

const isNodeModules = (file: string) => file.split(/[\\/]/).includes('node_modules');

/** Where `notify schema --write` writes: the copy the map names, else notify.schema.json beside it. */
export function copyTarget(mapDir: string, ref: string | undefined): string {
  const named = ref === undefined ? undefined : refFile(mapDir, ref);
  return named && !isNodeModules(named) ? named : path.join(mapDir, SCHEMA_COPY);
}

/**
 * Write the shipped schema to `file`, replacing an older copy of it; a different file of that
 * name is left alone (exit 2), so a user's own JSON is never overwritten.
 */
export function writeSchemaCopy(file: string, cwd: string): void {
  const shipped = fs.readFileSync(SCHEMA_FILE, 'utf8');
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (existing !== undefined && !isOurSchema(existing)) {
    throw new UsageError(`${displayPath(cwd, file)} exists and is not notify's schema; it was left as it is`, 'move it away, or point the map at another file with notify init --schema FILE');
  }
  if (existing !== shipped) fs.writeFileSync(file, shipped);
}

function isOurSchema(text: string): boolean {
  try {
    const json = JSON.parse(text);
    return typeof json?.$id === 'string' && json.$id.endsWith(`/${PACKAGE}/schema/${SCHEMA_COPY}`);
  } catch {
    return false;
  }
}
