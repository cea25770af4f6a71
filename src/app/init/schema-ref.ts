/** What the map's `$schema=` line points at: the installed copy beside the project, else the published one. */
import fs from 'node:fs';
import path from 'node:path';

const PACKAGE = 'notify-close';

export function schemaRef(mapDir: string, version: string): string {
  const local = path.join(mapDir, 'node_modules', PACKAGE, 'schema', 'notify.schema.json');
  if (fs.existsSync(local)) return `./node_modules/${PACKAGE}/schema/notify.schema.json`;
  return `https://unpkg.com/${PACKAGE}@${version}/schema/notify.schema.json`;
}

export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;
}
