/** The log is append-only JSON Lines: a union merge keeps both sides' events when branches meet. */
import fs from 'node:fs';
import path from 'node:path';

export const LOG_ATTRIBUTE = '.notify/log.jsonl merge=union';

/** Add the line to the .gitattributes of `dir` unless it is there; true when the file changed. */
export function ensureLogAttribute(dir: string): boolean {
  const file = path.join(dir, '.gitattributes');
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const present = text.split(/\r?\n/).some((l) => /^\.notify\/log\.jsonl\s/.test(l.trim() + ' ') && /\bmerge=union\b/.test(l));
  if (present) return false;
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  fs.appendFileSync(file, `${sep}${LOG_ATTRIBUTE}\n`);
  return true;
}
