/**
 * Preloaded into the CLI (NODE_OPTIONS=--import): writes "[execa imported]" to stderr when the
 * execa package is imported, so a test can tell a run that loaded it from one that did not.
 * The same file is the module hook (run on the hooks thread) and the preload that registers it.
 */
import fs from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, next) {
  if (specifier === 'execa') fs.writeSync(2, '[execa imported]\n');
  return next(specifier, context);
}
