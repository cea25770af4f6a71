/**
 * `status` over a big log: the whole log streamed into project states without keeping the
 * events, forgetting what a closed project's summary no longer needs. Lines are read with the
 * same rules as readLog in log.ts: conflict markers and corrupt lines are errors, a cut-off
 * last line is a warning, duplicate ids count once.
 */
import fs from 'node:fs';
import type { NotifyEvent } from '../../domain/events.js';
import { eventProblem } from '../../domain/event-shape.js';
import { applyEvent, emptyState, type ProjectState } from '../../domain/state.js';
import { eachLine } from './log-chunks.js';
import { LineReader } from './log-lines.js';

/**
 * Every project's state, for `status`. Once a project is closed, its summary depends only on
 * its close.planned and project.closed lines: its recipients and ids are dropped, so memory
 * follows the open projects, not the history. A project amended since (close.amended) is open
 * again: `status` reads that one project in full (readState) to say who is still to be told.
 */
export async function foldAllProjects(file: string, shown: string): Promise<{ states: Map<string, ProjectState>; warnings: string[]; reread: string[] }> {
  const states = new Map<string, ProjectState>();
  // Ids seen, per open project (a closed one's summary no longer changes with duplicates).
  const ids = new Map<string, Set<string>>();
  const reader = new LineReader(shown);
  const slimmed = new Set<string>();
  const reread = new Set<string>();
  if (!fs.existsSync(file)) return { states, warnings: [], reread: [] };
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
      applyEvent(s, e.event.startsWith('notification.') && e.event !== 'notification.bounced' ? slim(e as NotificationEvent) : e);
      // A bounce reopens a closed project whose sends were forgotten: it is read again in full.
      if (e.event === 'notification.bounced' && slimmed.has(e.project)) reread.add(e.project);
      if (e.event === 'project.closed') {
        // What a closed project's summary reads: the title and the close itself.
        s.recipients.clear();
        for (const a of s.amendments) a.recipients.clear();
        s.skipped = [];
        if (s.planned) s.planned = { ...s.planned, actions: NONE, parties: NONE, skipped: [], summary: '', details: undefined };
        ids.delete(e.project);
        slimmed.add(e.project);
      }
    });
  } finally {
    fs.closeSync(fd);
  }
  reader.throwIfProblems();
  return { states, warnings: reader.warnings, reread: [...reread].filter((p) => !states.get(p)?.closed) };
}

type NotificationEvent = Extract<NotifyEvent, { recipient: string }>;
/** Shared by every slimmed event: a summary never reads it. */
const NONE: string[] = [];

/** A JSON string with no escapes and no control characters: its text is its value. */
const PLAIN = '"([^"\\\\\\x00-\\x1f]*)"';
/**
 * Most lines are sends in the writer's own layout: attempts, results and unknowns with no
 * escapes in their strings. Matched whole, they are read without JSON.parse (and the garbage
 * that costs most of the time on a big log), then judged by the same validator as every line.
 * Anything else is parsed in full.
 */
const SEND = new RegExp(
  `\\{"id":${PLAIN},"ts":${PLAIN},"event":"notification\\.(attempt|sent|unknown)","project":${PLAIN},"recipient":${PLAIN},` +
    `"parties":\\[((?:"[^"\\\\\\x00-\\x1f]*",)*"[^"\\\\\\x00-\\x1f]*")?\\],"message_id":${PLAIN}` +
    `(?:,"response":${PLAIN})?(?:,"via":${PLAIN})?(?:,"subject":${PLAIN})?(?:,"sha256":${PLAIN})?(?:,"reason":${PLAIN})?(?:,"text":${PLAIN})?\\}`,
  'y',
);

/** The kinds SEND matches, by the first letter after "notification.". */
const SEND_KINDS: Record<number, NotificationEvent['event']> = { 0x61: 'notification.attempt', 0x73: 'notification.sent', 0x75: 'notification.unknown' };

/** Matched in place in the chunk: no line string is made for these lines. */
function quickSend(text: string, from: number, to: number): NotifyEvent | undefined {
  if (to === from || text.charCodeAt(to - 1) !== 0x7d) return undefined; // '}'
  SEND.lastIndex = from;
  const m = SEND.exec(text);
  if (!m || SEND.lastIndex !== to) return undefined;
  const event = SEND_KINDS[m[3].charCodeAt(0)];
  const parties = m[6] === undefined ? NONE : m[6].slice(1, -1).split('","');
  const read = { id: m[1], ts: m[2], event, project: m[4], recipient: m[5], parties, message_id: m[7], response: m[8], via: m[9], subject: m[10], sha256: m[11], reason: m[12], text: m[13] };
  // Not valid: parsed in full by the caller, which reports what is wrong.
  if (eventProblem(read) !== undefined) return undefined;
  // Copies, not slices: a kept slice would keep its whole 64 KiB chunk alive.
  const id = copy(m[1]);
  const recipient = copy(m[5]);
  return (event === 'notification.sent' ? { id, ts: '', event, project: m[4], recipient, parties: NONE, message_id: '', response: '' } : { id, ts: '', event, project: m[4], recipient, parties: NONE, message_id: '', text: '' }) as NotifyEvent;
}

function copy(s: string): string {
  return JSON.parse(`"${s}"`);
}

/** What a summary needs of a send: who and how it went, not the server's words. */
function slim(e: NotificationEvent): NotifyEvent {
  return { id: e.id, ts: '', event: e.event, project: e.project, recipient: e.recipient, parties: NONE, message_id: '', ...(e.event === 'notification.failed' ? { code: e.code, permanent: e.permanent, text: '' } : {}), ...(e.event === 'notification.unknown' || e.event === 'notification.failed' ? { text: '' } : { response: '' }) } as NotifyEvent;
}
