/** notify log --verify: every line parses, no conflict markers, no duplicate event ids. Reads, never repairs. */
import fs from 'node:fs';
import { UsageError } from '../errors.js';
import { lines } from './log.js';
import { CONFLICT } from './log-lines.js';

export interface LogProblemLine {
  line: number;
  message: string;
}

export interface LogVerification {
  file: string;
  events: number;
  problems: LogProblemLine[];
}


export async function verifyLog(file: string, shown: string): Promise<LogVerification> {
  if (!fs.existsSync(file)) throw new UsageError(`${shown}: no such log file`, 'give the log with --log FILE, or run from the folder of the map');
  const problems: LogProblemLine[] = [];
  const seen = new Map<string, number>();
  let events = 0;
  let n = 0;
  for await (const { line, complete } of lines(file)) {
    n++;
    if (line.trim() === '') continue;
    if (CONFLICT.test(line)) {
      problems.push({ line: n, message: 'merge conflict marker: resolve the conflict by keeping the lines of both sides (and declare ".notify/log.jsonl merge=union" in .gitattributes)' });
      continue;
    }
    if (!complete) problems.push({ line: n, message: 'the last line has no newline: a write was cut off (the next close removes it)' });
    let e: any;
    try {
      e = JSON.parse(line);
    } catch {
      if (complete) problems.push({ line: n, message: 'not valid JSON' });
      continue;
    }
    const missing = ['id', 'ts', 'project', 'event'].filter((k) => typeof e?.[k] !== 'string');
    if (missing.length > 0) {
      problems.push({ line: n, message: `not a log event: ${missing.map((k) => `"${k}"`).join(', ')} missing or not a string` });
      continue;
    }
    const first = seen.get(e.id);
    if (first !== undefined) problems.push({ line: n, message: `duplicate event id ${e.id} (first on line ${first}); keep one of the two lines` });
    else seen.set(e.id, n), events++;
  }
  return { file: shown, events, problems };
}
