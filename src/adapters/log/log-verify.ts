/** notify log --verify: every line is a valid event (log-lines.ts), no conflict markers, no duplicate event ids. Reads, never repairs. */
import fs from 'node:fs';
import { UsageError } from '../../errors.js';
import { lines } from './log.js';
import { judgeLine } from './log-lines.js';

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
    // The same verdict as every reader's (log-lines.ts), reported instead of thrown.
    const v = judgeLine(line);
    if (v.kind === 'blank') continue;
    if (v.kind === 'conflict') {
      problems.push({ line: n, message: 'merge conflict marker: resolve the conflict by keeping the lines of both sides (and declare ".notify/log.jsonl merge=union" in .gitattributes)' });
      continue;
    }
    if (v.kind === 'unparsed') {
      problems.push({ line: n, message: complete ? 'not valid JSON' : 'the last line has no newline: a write was cut off (the next close removes it)' });
      continue;
    }
    if (v.kind === 'invalid') {
      problems.push({ line: n, message: v.problem });
      continue;
    }
    // A whole event with no newline after it is counted like any other: the next close adds the newline.
    const first = seen.get(v.event.id);
    if (first !== undefined) problems.push({ line: n, message: `duplicate event id ${v.event.id} (first on line ${first}); keep one of the two lines` });
    else seen.set(v.event.id, n), events++;
  }
  return { file: shown, events, problems };
}
