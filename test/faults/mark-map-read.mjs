/**
 * Preloaded into the CLI by the signal tests (NODE_OPTIONS=--import): writes "[map read]" to
 * stderr each time a notify.yaml has been read, so a test knows the parse has just begun.
 */
import fs from 'node:fs';

const read = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  const content = read.call(this, file, ...rest);
  if (String(file).endsWith('notify.yaml')) process.stderr.write('[map read]\n');
  return content;
};
