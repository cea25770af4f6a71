/** notify schema: print the JSON Schema of the map, for editors and other tools. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema', 'notify.schema.json');

export interface SchemaOptions {
  path?: boolean;
}

export async function runSchema(o: SchemaOptions, ctx: Context): Promise<number> {
  ctx.stdout.write(o.path ? `${SCHEMA_FILE}\n` : fs.readFileSync(SCHEMA_FILE, 'utf8'));
  return EXIT.ok;
}
