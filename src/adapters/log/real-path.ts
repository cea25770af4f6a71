/**
 * The log's real path, through any symlink: the lock and the writer use it, so two spellings of
 * one file (`--log alias.jsonl` linking to `.notify/log.jsonl`) contend for one lock.
 */
import fs from 'node:fs';
import path from 'node:path';

export function realPathOf(file: string, depth = 0): string {
  try {
    return fs.realpathSync(file);
  } catch {
    // Not there yet (a first close), or a link to a file not created yet: resolve what exists.
  }
  try {
    if (depth < 32 && fs.lstatSync(file).isSymbolicLink()) return realPathOf(path.resolve(path.dirname(file), fs.readlinkSync(file)), depth + 1);
  } catch {
    /* no such entry: resolve its folder */
  }
  const dir = path.dirname(file);
  return dir === file ? file : path.join(realPathOf(dir, depth + 1), path.basename(file));
}
