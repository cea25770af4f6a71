/**
 * Reading a big log fast, with the log as the single source of truth:
 * - `readProjectEvents` reads one project's lines through an index of byte ranges, rebuilt from
 *   the log whenever the log is not the one indexed (another file, shrunk, or changed before
 *   the indexed end) and extended over what was appended since;
 * - `foldAllProjects` streams the whole log into project states without keeping the events,
 *   and forgets what a closed project's summary no longer needs.
 * Both read lines with the same rules as readLog in log.ts: conflict markers and corrupt lines
 * are errors, a cut-off last line is a warning, duplicate ids count once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NotifyEvent } from '../core/events.js';
import { applyEvent, emptyState, type ProjectState } from '../core/state.js';
import { CONFLICT, LineReader } from './log-lines.js';

// Small enough that each decoded chunk is a young-generation string, not a large object that lingers.
const CHUNK = 64 * 1024;
const SAMPLE = 4096;
const FORMAT = 'notify-log-index/1';
/** The prefix notify's writer puts on every line; lines of another shape are parsed to find their project. */
const LAYOUT = /^\{"id":"[^"\\]*","ts":"[^"\\]*","event":"[^"\\]*","project":"([^"\\]*)"/;

export interface ReadResult {
  events: NotifyEvent[];
  warnings: string[];
}

/** Line-by-line rules of the log, shared by ever when needed; start and end are its byte offsets in the file. */
type LineFn = (text: string, from: number, to: number, start: number, end: number, complete: boolean) => void;

/**
 * Lines of [from, to) of a file, read in 64 KiB chunks, each chunk decoded at once (a newline
 * never falls inside a UTF-8 sequence). `end` is the byte offset after the line's newline.
 */
function eachLine(fd: number, from: number, to: number, fn: LineFn): void {
  let buf = Buffer.allocUnsafe(CHUNK);
  let carry = 0; // bytes of an unfinished line at the start of buf
  let pos = from; // file offset of buf[0]
  while (pos + carry < to) {
    if (carry === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
      buf.copy(bigger, 0, 0, carry);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, carry, Math.min(buf.length - carry, to - pos - carry), pos + carry);
    if (n === 0) break;
    const filled = carry + n;
    const lastNl = buf.lastIndexOf(0x0a, filled - 1);
    if (lastNl < 0) {
      carry = filled;
      continue;
    }
    const text = buf.toString('utf8', 0, lastNl);
    const ascii = text.length === lastNl;
    let at = pos;
    let i = 0;
    for (;;) {
      const nl = text.indexOf('\n', i);
      const stop = nl < 0 ? text.length : nl;
      const end = ascii ? pos + stop + 1 : at + Buffer.byteLength(text.slice(i, stop)) + 1;
      fn(text, i, stop, at, end, true);
      at = end;
      if (nl < 0) break;
      i = nl + 1;
    }
    buf.copy(buf, 0, lastNl + 1, filled);
    carry = filled - lastNl - 1;
    pos += lastNl + 1;
  }
  if (carry > 0) {
    const text = buf.toString('utf8', 0, carry);
    fn(text, 0, text.length, pos, pos + carry, false);
  }
}

/**
 * Every project's state, for `status`. Once a project is closed, its summary depends only on
 * its close.planned and project.closed lines: its recipients and ids are dropped, so memory
 * follows the open projects, not the history.
 */
export async function foldAllProjects(file: string, shown: string): Promise<{ states: Map<string, ProjectState>; warnings: string[] }> {
  const states = new Map<string, ProjectState>();
  // Ids seen, per open project (a closed one's summary no longer changes with duplicates).
  const ids = new Map<string, Set<string>>();
  const reader = new LineReader(shown);
  if (!fs.existsSync(file)) return { states, warnings: [] };
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let lineNo = 0;
    eachLine(fd, 0, size, (text, from, to, _start, end, complete) => {
      lineNo++;
      const e = (complete ? quickSend(text, from, to) : undefined) ?? reader.read(text.slice(from, to), lineNo, complete, end >= size);
      if (!e) return;
      let s = states.get(e.project);
      if (!s) states.set(e.project, (s = emptyState(e.project)));
      if (e.id && !s.closed) {
        let seen = ids.get(e.project);
        if (!seen) ids.set(e.project, (seen = new Set()));
        if (seen.has(e.id)) return;
        seen.add(e.id);
      }
      applyEvent(s, e.event.startsWith('notification.') ? slim(e as NotificationEvent) : e);
      if (e.event === 'project.closed') {
        // What a closed project's summary reads: the title and the close itself.
        s.recipients.clear();
        s.skipped = [];
        if (s.planned) s.planned = { ...s.planned, actions: NONE, parties: NONE, skipped: [], summary: '', details: undefined };
        ids.delete(e.project);
      }
    });
  } finally {
    fs.closeSync(fd);
  }
  reader.throwIfProblems();
  return { states, warnings: reader.warnings };
}

type NotificationEvent = Extract<NotifyEvent, { recipient: string }>;
/** Shared by every slimmed event: a summary never reads it. */
const NONE: string[] = [];

/**
 * Most lines are sends in the writer's own layout, whose leading fields hold no escapes: a
 * summary needs only those, so they are read without parsing the whole line (and making the
 * garbage that costs most of the time on a big log). Anything else is parsed in full.
 */
const SEND = /\{"id":"([^"\\\n]*)","ts":"[^"\\\n]*","event":"notification\.(attempt|sent|unknown)","project":"([^"\\\n]*)","recipient":"([^"\\\n]*)","parties":\[/y;

/** Matched in place in the chunk: no line string is made for these lines. */
function quickSend(text: string, from: number, to: number): NotifyEvent | undefined {
  if (to === from || text.charCodeAt(to - 1) !== 0x7d) return undefined; // '}'
  SEND.lastIndex = from;
  const m = SEND.exec(text);
  if (!m || SEND.lastIndex > to) return undefined;
  const event = `notification.${m[2]}` as NotificationEvent['event'];
  // Copies, not slices: a kept slice would keep its whole 64 KiB chunk alive.
  return { id: copy(m[1]), ts: '', event, project: m[3], recipient: copy(m[4]), parties: NONE, message_id: '', ...(event === 'notification.sent' ? { response: '' } : { text: '' }) } as NotifyEvent;
}

function copy(s: string): string {
  return JSON.parse(`"${s}"`);
}

/** What a summary needs of a send: who and how it went, not the server's words. */
function slim(e: NotificationEvent): NotifyEvent {
  return { id: e.id, ts: '', event: e.event, project: e.project, recipient: e.recipient, parties: NONE, message_id: '', ...(e.event === 'notification.failed' ? { code: e.code, permanent: e.permanent, text: '' } : {}), ...(e.event === 'notification.unknown' || e.event === 'notification.failed' ? { text: '' } : { response: '' }) } as NotifyEvent;
}

interface LogIndex {
  format: string;
  log: string;
  dev: number;
  ino: number;
  mtimeMs: number;
  /** Bytes covered: up to the last newline seen. */
  size: number;
  lines: number;
  head: string;
  tail: string;
  conflicts: number[];
  /** Flat [start, end, firstLine] triples of runs of consecutive lines, per project. */
  projects: Record<string, number[]>;
  /** Lines that did not parse: [start, end, line] triples, checked again by whoever reads. */
  bad: number[];
  /** Project of the last indexed line, so a run can continue across an append. */
  lastProject?: string;
}

export function indexFile(cacheDir: string, log: string): string {
  return path.join(cacheDir, `log-${createHash('sha256').update(path.resolve(log)).digest('hex').slice(0, 16)}.index.json`);
}

function sample(fd: number, start: number, end: number): string {
  const len = Math.max(0, end - start);
  const buf = Buffer.alloc(len);
  if (len > 0) fs.readSync(fd, buf, 0, len, start);
  return createHash('sha256').update(buf).digest('hex');
}

function loadIndex(file: string, log: string, fd: number, st: fs.Stats): LogIndex | undefined {
  let idx: LogIndex;
  try {
    idx = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (idx.format !== FORMAT || idx.log !== path.resolve(log) || idx.dev !== st.dev || idx.ino !== st.ino) return undefined;
  idx.projects = Object.assign(Object.create(null), idx.projects); // project ids are data: no prototype
  if (st.size < idx.size) return undefined; // shrunk: rewritten
  if (st.size === idx.size && st.mtimeMs !== idx.mtimeMs) return undefined; // changed in place
  if (sample(fd, 0, Math.min(SAMPLE, idx.size)) !== idx.head) return undefined;
  if (sample(fd, Math.max(0, idx.size - SAMPLE), idx.size) !== idx.tail) return undefined;
  return idx;
}

function emptyIndex(log: string, st: fs.Stats): LogIndex {
  return { format: FORMAT, log: path.resolve(log), dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs, size: 0, lines: 0, head: '', tail: '', conflicts: [], projects: Object.create(null), bad: [] };
}

/** Index the complete lines appended since idx.size. */
function extend(idx: LogIndex, fd: number, st: fs.Stats): boolean {
  if (st.size === idx.size) return false;
  let last = idx.lastProject;
  eachLine(fd, idx.size, st.size, (text, from, to, start, end, complete) => {
    if (!complete) return;
    const line = text.slice(from, to);
    const lineNo = ++idx.lines;
    idx.size = end;
    let project: string | undefined = LAYOUT.exec(line)?.[1];
    if (project === undefined) {
      if (line.trim() === '') {
        last = undefined;
        return;
      }
      if (CONFLICT.test(line)) {
        idx.conflicts.push(lineNo);
        last = undefined;
        return;
      }
      try {
        const e = JSON.parse(line);
        if (e && typeof e === 'object' && typeof e.project === 'string') project = e.project;
      } catch {
        /* recorded below */
      }
    }
    if (project === undefined) {
      idx.bad.push(start, end, lineNo);
      last = undefined;
      return;
    }
    const runs = (idx.projects[project] ??= []);
    if (last === project && runs.length > 0 && runs[runs.length - 2] === start) runs[runs.length - 2] = end;
    else runs.push(start, end, lineNo);
    last = project;
  });
  idx.lastProject = last;
  idx.mtimeMs = st.mtimeMs;
  idx.head = sample(fd, 0, Math.min(SAMPLE, idx.size));
  idx.tail = sample(fd, Math.max(0, idx.size - SAMPLE), idx.size);
  return true;
}

function saveIndex(file: string, idx: LogIndex): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const ignore = path.join(path.dirname(file), '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# notify caches: rebuilt from the map and the log when missing\n*\n');
    fs.writeFileSync(tmp, JSON.stringify(idx));
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

function readRange(fd: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start);
  let off = 0;
  while (off < buf.length) {
    const n = fs.readSync(fd, buf, off, buf.length - off, start + off);
    if (n === 0) throw new Error('the log is shorter than its index');
    off += n;
  }
  return buf;
}

/**
 * The events of one project, read through the index kept at `indexPath`. The same events and
 * the same errors and warnings as readLog with a filter on the project; a stale or unreadable
 * index is rebuilt from the log.
 */
export async function readProjectEvents(log: string, shown: string, project: string, indexPath: string): Promise<ReadResult> {
  if (!fs.existsSync(log)) return { events: [], warnings: [] };
  const fd = fs.openSync(log, 'r');
  try {
    const st = fs.fstatSync(fd);
    let idx = loadIndex(indexPath, log, fd, st);
    for (let attempt = 0; ; attempt++) {
      if (!idx) idx = emptyIndex(log, st);
      if (extend(idx, fd, st)) saveIndex(indexPath, idx);
      const result = readIndexed(idx, fd, st.size, shown, project);
      if (result || attempt > 0) {
        if (!result) throw new Error(`${shown}: the log index is inconsistent with the log`);
        result.reader.throwIfProblems();
        return { events: result.events, warnings: result.reader.warnings };
      }
      idx = undefined; // the ranges do not fall on line starts: rebuild from scratch
    }
  } finally {
    fs.closeSync(fd);
  }
}

function readIndexed(idx: LogIndex, fd: number, size: number, shown: string, project: string): { events: NotifyEvent[]; reader: LineReader } | undefined {
  const needle = `"project":${JSON.stringify(project)}`;
  const reader = new LineReader(shown);
  const lines: { line: string; lineNo: number; end: number }[] = [];
  for (const c of idx.conflicts) reader.conflict(c);
  const runs = idx.projects[project] ?? [];
  const ranges: [number, number, number, boolean][] = [];
  for (let i = 0; i < runs.length; i += 3) ranges.push([runs[i], runs[i + 1], runs[i + 2], false]);
  for (let i = 0; i < idx.bad.length; i += 3) ranges.push([idx.bad[i], idx.bad[i + 1], idx.bad[i + 2], true]);
  ranges.sort((a, b) => a[0] - b[0]);
  const nl = Buffer.alloc(1);
  for (const [start, end, first] of ranges) {
    if (start > 0 && (fs.readSync(fd, nl, 0, 1, start - 1) !== 1 || nl[0] !== 0x0a)) return undefined;
    const buf = readRange(fd, start, end);
    if (buf[buf.length - 1] !== 0x0a) return undefined;
    const parts = buf.toString('utf8', 0, buf.length - 1).split('\n');
    let offset = start;
    parts.forEach((line, i) => {
      offset += Buffer.byteLength(line) + 1;
      lines.push({ line, lineNo: first + i, end: offset });
    });
  }
  // The cut-off tail (no newline yet) is never indexed: read it as it is.
  if (size > idx.size) {
    const line = readRange(fd, idx.size, size).toString('utf8');
    lines.push({ line, lineNo: idx.lines + 1, end: size });
  }
  const filter = (l: string) => l.includes(needle);
  const events: NotifyEvent[] = [];
  const ids = new Set<string>();
  for (const l of lines) {
    const e = reader.read(l.line, l.lineNo, l.end <= idx.size, l.end >= size, filter);
    if (!e || e.project !== project) continue;
    if (e.id) {
      if (ids.has(e.id)) continue;
      ids.add(e.id);
    }
    events.push(e);
  }
  return { events, reader };
}
