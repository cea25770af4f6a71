/**
 * The folder notify is installed in (package.json, templates/, schema/), found from wherever
 * the running code sits: dist/bundle/ (what bin/notify.js runs), dist/, or src/ in the tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from = fileURLToPath(import.meta.url)): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`internal: no package.json in a folder above ${from}`);
  }
}

/** A file of the installed package, e.g. packageFile('templates'). */
export function packageFile(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
