/**
 * The append-only JSON Lines log. Writes are group-committed: every event appended while a
 * write+fsync is in flight goes out in the next write, followed by one fsync, and no append
 * resolves before its line is on disk. Concurrent sends share fsyncs; none is skipped.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { NewEvent, NotifyEvent } from '../../domain/events.js';
import { EXIT, NotifyError } from '../../errors.js';
import { judgeLine, LineReader, looksWhole } from './log-lines.js';

interface Pending {
  line: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * The log can be changed under a running close: `git checkout`, a `mv` or `cp` over it, a
 * truncation, a symlink pointed elsewhere. Before each write the writer checks that the path,
 * as the user spelled it, still names the file it holds, at the size and modification time it
 * left it. If not, it writes back to the file the path now names every event it knows that file
 * lacks, goes on recording there (the sends in flight), and says so through `lost()`, which the
 * close asks before each send: no new send starts.
 */
export class LogWriter {
  private queue: Pending[] = [];
  private flushing = false;
  private failed?: Error;
  private lostReason?: string;
  private idle: (() => void)[] = [];
  /** The lines written by this run, in order: what a truncation or a rewrite may have taken. */
  private readonly ours: string[] = [];
  /** Size and modification time (ns) of the file after our last write. */
  private size: number;
  private mtime: bigint;
  /** The file held lines from before this run. */
  private readonly hadHistory: boolean;

  private constructor(
    readonly file: string,
    private fd: number,
    private readonly now: () => Date,
    private readonly shown: string,
  ) {
    const st = fs.fstatSync(fd, { bigint: true });
    this.size = Number(st.size);
    this.mtime = st.mtimeNs;
    this.hadHistory = this.size > 0;
  }

  /** Open for appending; a torn last line (a cut-off write) is removed first, with a warning. */
  static open(file: string, now: () => Date, warn: (msg: string) => void, shown = file): LogWriter {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const fd = fs.openSync(file, 'a+');
      repairTornTail(fd, shown, warn);
      return new LogWriter(file, fd, now, shown);
    } catch (err) {
      throw logWriteError(shown, err as NodeJS.ErrnoException);
    }
  }

  /**
   * Why no new send may start (the log was replaced, removed, cut or written by someone else),
   * if so. Cheap (two stats): the close asks it before each send. The repair itself is done by
   * the next write, or by `settle()`.
   */
  lost(): string | undefined {
    if (this.lostReason) return this.lostReason;
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch {
      return `${this.shown} was removed while this run was using it`;
    }
    const held = fs.fstatSync(this.fd, { bigint: true });
    if (BigInt(st.ino) !== held.ino || BigInt(st.dev) !== held.dev) return `${this.shown} was replaced while this run was using it`;
    if (!this.flushing && (Number(held.size) !== this.size || held.mtimeNs !== this.mtime)) return `${this.shown} was changed by another program while this run was using it`;
    return undefined;
  }

  /** Resolves once every queued line is on disk and the file checked (and repaired) once more. */
  settle(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        try {
          this.checkIdentity();
          resolve();
        } catch (err) {
          reject(logAppendError(this.shown, err as NodeJS.ErrnoException));
        }
      };
      if (this.flushing) this.idle.push(check);
      else check();
    });
  }

  /** Resolves once the line is written and fsynced; rejects if it could not be made durable. */
  append<E extends NewEvent>(event: E): Promise<E & { id: string; ts: string }> {
    if (this.failed) return Promise.reject(this.failed);
    const full = { id: randomUUID(), ts: this.now().toISOString(), ...event };
    const line = JSON.stringify(full) + '\n';
    this.ours.push(line);
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve: () => resolve(full), reject });
      if (!this.flushing) setImmediate(() => this.flush());
      this.flushing = true;
    });
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    const data = Buffer.from(batch.map((p) => p.line).join(''));
    const done = (err: Error | null) => {
      if (err) this.failed = err;
      for (const p of batch) (err ? p.reject(err) : p.resolve());
      if (this.queue.length > 0) return this.flush();
      this.flushing = false;
      for (const f of this.idle.splice(0)) f();
    };
    try {
      this.checkIdentity(batch.length);
    } catch (err) {
      return done(logAppendError(this.shown, err as NodeJS.ErrnoException));
    }
    writeAll(this.fd, data, 0, (err) => {
      if (err) return done(logAppendError(this.shown, err));
      fs.fdatasync(this.fd, (syncErr) => {
        if (!syncErr) this.remember();
        done(syncErr ? logAppendError(this.shown, syncErr) : null);
      });
    });
  }

  /** The file as our last write left it. */
  private remember(): void {
    const st = fs.fstatSync(this.fd, { bigint: true });
    this.size = Number(st.size);
    this.mtime = st.mtimeNs;
  }

  /**
   * Is the path still our file, as we left it? `queued` lines are about to be written and must
   * not be written back twice. Throws only when the file the path names cannot be used.
   */
  private checkIdentity(queued = 0): void {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const held = fs.fstatSync(this.fd, { bigint: true });
    const same = st !== undefined && BigInt(st.ino) === held.ino && BigInt(st.dev) === held.dev;
    if (same && Number(held.size) === this.size && held.mtimeNs === this.mtime) return;
    const what = !st ? 'removed' : !same ? 'replaced' : Number(held.size) < this.size ? 'truncated' : 'changed by another program';
    const known = this.ours.slice(0, this.ours.length - queued).join('');
    let restored: number;
    if (!same) {
      // The old file, still open, holds everything up to now: all of it goes to the new one.
      const source = readAll(this.fd);
      fs.closeSync(this.fd);
      this.fd = fs.openSync(this.file, 'a+');
      restored = writeBack(this.fd, source);
    } else {
      // Rewritten in place: what this run wrote is what it still knows.
      restored = writeBack(this.fd, known);
    }
    this.remember();
    const back = restored === 0 ? 'it lacked none of the events of this run' : `the ${restored} event${restored === 1 ? '' : 's'} ${same ? 'of this run ' : ''}it lacked ${restored === 1 ? 'was' : 'were'} written back to it`;
    const older = same && this.hadHistory && what !== 'changed by another program' ? '; lines from before this run may be gone from it: restore them from version control (git checkout) before running again' : same && this.hadHistory ? '; if lines from before this run are missing, restore them from version control before running again' : '';
    this.lostReason = `${this.shown} was ${what} while this run was using it; ${back}${older}`;
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}

/** The whole content of an open file, from its start. */
function readAll(fd: number): string {
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.alloc(size);
  let off = 0;
  while (off < size) {
    const n = fs.readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off).toString('utf8');
}

const ID = /"id":"([^"\\]+)"/;

/** Appends (and fsyncs) the complete lines of `source` whose ids the file lacks; returns how many. */
function writeBack(fd: number, source: string): number {
  const present = new Set<string>();
  const current = readAll(fd);
  for (const line of current.split('\n')) {
    const m = ID.exec(line);
    if (m) present.add(m[1]);
  }
  const missing = source.split('\n').filter((line) => {
    const m = ID.exec(line);
    return m !== null && !present.has(m[1]) && looksWhole(line);
  });
  if (missing.length === 0) return 0;
  // A file that does not end with a newline gets one, so our first line stays a line of its own.
  const lead = current.length > 0 && !current.endsWith('\n') ? '\n' : '';
  fs.writeSync(fd, lead + missing.join('\n') + '\n');
  fs.fsyncSync(fd);
  return missing.length;
}

function writeAll(fd: number, data: Buffer, offset: number, cb: (err: NodeJS.ErrnoException | null) => void): void {
  fs.write(fd, data, offset, data.length - offset, null, (err, written) => {
    if (err) return cb(err);
    if (offset + written < data.length) return writeAll(fd, data, offset + written, cb);
    cb(null);
  });
}

/** The log stopped accepting writes mid-run: no further message goes out (exit 1, the project stays open). */
function logAppendError(shown: string, err: NodeJS.ErrnoException): NotifyError {
  return new NotifyError(
    `${shown}: the log cannot be written durably any more (${err.code ?? err.message}); sending stopped`,
    EXIT.incomplete,
    'what the log records stays true; a message whose result could not be recorded shows as unknown. Free space or fix the disk, then run the same command again',
  );
}

export function logWriteError(file: string, err: NodeJS.ErrnoException): NotifyError {
  return new NotifyError(`${file}: the log cannot be written durably (${err.code ?? err.message}); nothing was sent`, EXIT.usage, 'check the permissions and free space of the log directory, or choose another with --log');
}

function repairTornTail(fd: number, shown: string, warn: (msg: string) => void): void {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return;
  const lastByte = Buffer.alloc(1);
  fs.readSync(fd, lastByte, 0, 1, size - 1);
  const complete = lastByte[0] === 0x0a;
  const end = complete ? size - 1 : size;
  const start = lineStart(fd, end);
  const last = Buffer.alloc(end - start);
  fs.readSync(fd, last, 0, last.length, start);
  const text = last.toString('utf8');
  if (!isTorn(text, complete)) {
    // Written whole: with no newline after it, the newline is what is missing.
    if (!complete) {
      fs.writeSync(fd, '\n');
      fs.fsyncSync(fd);
    }
    return;
  }
  warn(`${shown}: the last line was incomplete (a write was cut off); it was never counted and has been removed`);
  fs.ftruncateSync(fd, start);
  fs.fsyncSync(fd);
}

/** Offset just after the newline that precedes `end` (0 if none), read backwards in 64 KiB steps. */
function lineStart(fd: number, end: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  for (let pos = end; pos > 0; ) {
    const n = Math.min(chunk.length, pos);
    fs.readSync(fd, chunk, 0, n, pos - n);
    const i = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (i >= 0) return pos - n + i + 1;
    pos -= n;
  }
  return 0;
}

/**
 * A last line readers ignore as a cut-off write (see LineReader.read), so it must not end up
 * mid-log: one that does not parse (a write cut off, or zero-filled by the file system after a
 * crash). A line that parses was written whole and is never dropped.
 */
function isTorn(line: string, complete: boolean): boolean {
  if (line.trim() === '') return !complete;
  return judgeLine(line).kind === 'unparsed';
}

export interface ReadResult {
  events: NotifyEvent[];
  warnings: string[];
}

/**
 * Stream the log line by line (never the whole file at once). `filter` sees the raw line and
 * may reject it before it is parsed. Duplicate ids (from merged logs) are kept once. Each line
 * is judged once the next one is seen, since a bad line is a torn write only at the very end.
 */
export async function readLog(file: string, shown: string, filter?: (line: string) => boolean): Promise<ReadResult> {
  const events: NotifyEvent[] = [];
  const reader = new LineReader(shown);
  if (!fs.existsSync(file)) return { events, warnings: [] };
  const ids = new Set<string>();
  const take = (line: string, lineNo: number, complete: boolean, isLast: boolean) => {
    const e = reader.read(line, lineNo, complete, isLast, filter);
    if (!e || (e.id && ids.has(e.id))) return;
    if (e.id) ids.add(e.id);
    events.push(e);
  };
  let held: { line: string; complete: boolean } | undefined;
  let lineNo = 0;
  for await (const next of lines(file)) {
    if (held) take(held.line, lineNo, held.complete, false);
    held = next;
    lineNo++;
  }
  if (held) take(held.line, lineNo, held.complete, true);
  reader.throwIfProblems();
  return { events, warnings: reader.warnings };
}

/** Lines of a file in 1 MiB chunks; `complete` is false for a last line with no newline. */
export async function* lines(file: string): AsyncGenerator<{ line: string; complete: boolean }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const chunk = rest + decoder.write(buf.subarray(0, bytesRead));
      const parts = chunk.split('\n');
      rest = parts.pop()!;
      for (const line of parts) yield { line, complete: true };
    }
    if (rest !== '') yield { line: rest, complete: false };
  } finally {
    await handle.close();
  }
}
