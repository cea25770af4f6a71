/** The rules every reader of the log applies to each line: one place, so all readers agree. */
import type { NotifyEvent } from '../../domain/events.js';
import { eventProblem } from '../../domain/event-shape.js';
import { ConfigError, type Diagnostic } from '../../errors.js';

export const CONFLICT = /^(<{7}|={7}|>{7}|\|{7})( |$)/;

/** What one line of the log is. A write cut off never parses: `unparsed` is how a torn line looks. */
export type LineVerdict =
  | { kind: 'blank' }
  | { kind: 'conflict' }
  | { kind: 'unparsed' }
  | { kind: 'invalid'; problem: string }
  | { kind: 'event'; event: NotifyEvent };

export function judgeLine(line: string): LineVerdict {
  if (line.trim() === '') return { kind: 'blank' };
  if (CONFLICT.test(line)) return { kind: 'conflict' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'unparsed' };
  }
  return judgeValue(value);
}

/** A parsed line, judged by the one definition of an event (core/event-shape.ts). */
function judgeValue(value: unknown): LineVerdict {
  const problem = eventProblem(value);
  return problem === undefined ? { kind: 'event', event: value as NotifyEvent } : { kind: 'invalid', problem };
}

/** Line-by-line rules of the log, shared by every reader here. */
export class LineReader {
  readonly problems: Diagnostic[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly shown: string) {}

  /**
   * Returns the event, or undefined for a blank, rejected or bad line. `isLast`: nothing follows
   * it in the file; `complete`: it ends with a newline. A whole event with no newline after it
   * counts (the next close adds the newline); only a line that does not parse is a torn write.
   */
  read(line: string, lineNo: number, complete: boolean, isLast: boolean, filter?: (line: string) => boolean): NotifyEvent | undefined {
    // Lines of other projects are skipped unparsed only when they look whole: a garbled line
    // is reported whichever project it was meant for.
    if (filter && looksWhole(line) && !filter(line)) return undefined;
    const v = judgeLine(line);
    switch (v.kind) {
      case 'blank':
        return undefined;
      case 'conflict':
        this.conflict(lineNo);
        return undefined;
      case 'unparsed':
        // A bad last line is a torn write: ignored with a warning. Elsewhere it is corruption.
        if (!complete) this.warnings.push(`${this.shown}:${lineNo}: the last line is incomplete (a write was cut off); ignored`);
        else if (isLast) this.warnings.push(`${this.shown}:${lineNo}: the last line is not valid JSON (a write was cut off?); ignored`);
        else this.problems.push(problem(this.shown, lineNo, 'not a valid log event (corrupt line); restore it from version control or remove it'));
        return undefined;
      case 'invalid':
        // It parses, so it was written whole: wherever it is, it is not a torn write.
        this.problems.push(problem(this.shown, lineNo, `${v.problem}; restore the line from version control or remove it`));
        return undefined;
      case 'event':
        return v.event;
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
