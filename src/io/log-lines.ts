/** The rules every reader of the log applies to each line: one place, so all readers agree. */
import type { NotifyEvent } from '../core/events.js';
import { ConfigError, type Diagnostic } from '../errors.js';

export const CONFLICT = /^(<{7}|={7}|>{7}|\|{7})( |$)/;

/** Line-by-line rules of the log, shared by every reader here. */
export class LineReader {
  readonly problems: Diagnostic[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly shown: string) {}

  /** Returns the event, or undefined for a blank, rejected or bad line. `isLast`: nothing follows it in the file. */
  read(line: string, lineNo: number, complete: boolean, isLast: boolean, filter?: (line: string) => boolean): NotifyEvent | undefined {
    if (line.trim() === '') return undefined;
    if (CONFLICT.test(line)) {
      this.conflict(lineNo);
      return undefined;
    }
    if (!complete) {
      // No newline: the write was cut off, even if what is there happens to parse.
      this.warnings.push(`${this.shown}:${lineNo}: the last line is incomplete (a write was cut off); ignored`);
      return undefined;
    }
    // Lines of other projects are skipped unparsed only when they look whole: a garbled line
    // is reported whichever project it was meant for.
    if (filter && looksWhole(line) && !filter(line)) return undefined;
    try {
      const e = JSON.parse(line);
      if (!e || typeof e !== 'object' || typeof e.event !== 'string' || typeof e.project !== 'string') throw new Error('not an event');
      return e;
    } catch {
      // A bad last line is a torn write: ignored with a warning. Elsewhere it is corruption.
      if (isLast) this.warnings.push(`${this.shown}:${lineNo}: the last line is not valid JSON (a write was cut off?); ignored`);
      else this.problems.push(problem(this.shown, lineNo, 'not a valid log event (corrupt line); restore it from version control or remove it'));
      return undefined;
    }
  }

  conflict(lineNo: number): void {
    this.problems.push(problem(this.shown, lineNo, 'merge conflict marker in the log; resolve it (declare ".notify/log.jsonl merge=union" in .gitattributes to avoid them)'));
  }

  throwIfProblems(): void {
    if (this.problems.length === 0) return;
    this.problems.sort((a, b) => a.line - b.line);
    throw new ConfigError(this.problems, 'the log is the record of what was sent: repair it before going on');
  }
}

export function looksWhole(line: string): boolean {
  const t = line.trim();
  return t.startsWith('{') && t.endsWith('}');
}

export function problem(file: string, line: number, message: string): Diagnostic {
  return { file, line, col: 1, message, severity: 'error' };
}

