/**
 * `check` over a big log, with the log as the single source of truth: `readProjectEvents`
 * reads one project's lines through an index of byte ranges, rebuilt from the log whenever the
 * log is not the one indexed (another file, shrunk, or changed before the indexed end) and
 * extended over what was appended since. Lines are read with the same rules as readLog in
 * log.ts: conflict markers and corrupt lines are errors, a cut-off last line is a warning,
 * duplicate ids count once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NotifyEvent } from '../../domain/events.js';
import { eachLine } from './log-chunks.js';
import { CONFLICT, LineReader } from './log-lines.js';

const SAMPLE = 4096;
const FORMAT = 'notify-log-index/1';
/** The prefix notify's writer puts on every line; lines of another shape are parsed to find their project. */
const LAYOUT = /^\{"id":"[^"\\]*","ts":"[^"\\]*","event":"[^"\\]*","project":"([^"\\]*)"/;

export interface ReadResult {
  events: NotifyEvent[];
  warnings: string[];
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
