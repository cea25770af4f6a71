/**
 * Preloaded into the CLI (NODE_OPTIONS=--import): writes "[yaml loaded]" to stderr at exit when
 * any module of the yaml package was loaded, however (import or require).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  if (Object.keys(cache).some((file) => /[\\/]node_modules[\\/]yaml[\\/]/.test(file))) fs.writeSync(2, '[yaml loaded]\n');
});
