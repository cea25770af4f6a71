/**
 * What makes a value a log event: the one definition every reader of the log applies (the full
 * read, the index, the streamed fold of `status`, `log --verify`). The table of fields is typed
 * against the interfaces of events.ts, so the two cannot drift apart.
 */
import type { EventBase, NoticeUsed, NotifyEvent, SkippedParty } from './events.js';
import { parseWall } from './calendar-zone.js';
import type { NoticeLink } from './notice.js';

type Kind = NotifyEvent['event'];

/** A field's type: a JSON type (a string may be a `wall` date, as `effective` is), a list, or the only strings allowed. */
type Shape<V> = [V] extends [string[]]
  ? 'string[]'
  : [V] extends [SkippedParty[]]
    ? 'skipped[]'
    : [V] extends [NoticeUsed[]]
      ? 'notice[]'
      : [V] extends [NoticeLink[]]
        ? 'links[]'
        : [V] extends [Record<string, string>]
          ? 'notes'
          : [V] extends [number]
      ? 'number'
      : [V] extends [boolean]
        ? 'boolean'
        : [V] extends [string]
          ? string extends V
            ? 'string' | 'wall'
            : readonly V[]
          : never;
type Field<V> = undefined extends V ? { optional: Shape<NonNullable<V>> } : Shape<V>;
type Fields<E> = { [F in Exclude<keyof E, keyof EventBase>]-?: Field<E[F]> };

const RECIPIENT = { recipient: 'string', parties: 'string[]', message_id: 'string' } as const;
const STEPS = ['remind', 'escalate'] as const;

/** The fields of each kind beyond the envelope (id, ts, project, event). Extra fields are allowed. */
export const EVENT_FIELDS: { readonly [K in Kind]: Fields<Extract<NotifyEvent, { event: K }>> } = {
  'close.planned': {
    title: { optional: 'string' },
    actions: 'string[]',
    parties: 'string[]',
    skipped: 'skipped[]',
    summary: 'string',
    details: { optional: 'string' },
    decided_by: { optional: 'string' },
    notice: { optional: 'notice[]' },
    effective: { optional: 'wall' },
    timezone: { optional: 'string' },
    audience: { optional: 'string' },
    customers_will_see: { optional: 'string' },
    what_to_say: { optional: 'string' },
    notes: { optional: 'notes' },
    links: { optional: 'links[]' },
  },
  'party.skipped': { party: 'string', reason: 'string' },
  'party.late': { party: 'string', tell_by: 'string', reason: 'string' },
  'notification.attempt': RECIPIENT,
  'notification.sent': { ...RECIPIENT, response: 'string', via: { optional: ['smtp', 'sendmail', 'file', 'manual'] }, subject: { optional: 'string' }, sha256: { optional: 'string' }, reason: { optional: 'string' } },
  'notification.failed': { ...RECIPIENT, code: { optional: 'number' }, text: 'string', permanent: 'boolean' },
  'notification.unknown': { ...RECIPIENT, text: 'string' },
  'project.closed': { notified: 'string[]', skipped: 'skipped[]', recipients: 'number' },
  'notification.bounced': { ...RECIPIENT, status: 'string', diagnostic: 'string', reply_message_id: { optional: 'string' } },
  'ack.received': { ...RECIPIENT, via: ['reply', 'manual'], reply_message_id: { optional: 'string' }, excerpt: { optional: 'string' }, by: { optional: 'string' }, note: { optional: 'string' } },
  'reply.auto': { ...RECIPIENT, reply_message_id: 'string', reason: 'string', subject: { optional: 'string' } },
  'ack.attempt': { ...RECIPIENT, step: STEPS, party: 'string' },
  'ack.reminded': { ...RECIPIENT, party: 'string', in_reply_to: 'string', response: 'string' },
  'ack.escalated': { ...RECIPIENT, party: 'string', waiting: 'string[]', response: 'string' },
  'ack.failed': { ...RECIPIENT, step: STEPS, party: 'string', outcome: ['failed', 'unknown'], text: 'string' },
  'close.amended': {
    kind: ['parties', 'correction', 'cancel'],
    parties: 'string[]',
    summary: 'string',
    details: { optional: 'string' },
    reason: 'string',
    decided_by: { optional: 'string' },
    effective: { optional: 'wall' },
    notice: { optional: 'notice[]' },
  },
};

/** What the writer stamps (toISOString), and any other ISO 8601 date and time with a zone. */
const ISO_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

type ShapeSpec = 'string' | 'wall' | 'string[]' | 'skipped[]' | 'notice[]' | 'links[]' | 'notes' | 'number' | 'boolean' | readonly string[];
type FieldSpec = ShapeSpec | { optional: ShapeSpec };

interface FieldCheck {
  name: string;
  optional: boolean;
  fits: (v: unknown) => boolean;
  what: string;
}

/** The table compiled once: every line of a big log goes through it (status reads a million). */
const CHECKS = new Map<string, FieldCheck[]>(
  Object.entries(EVENT_FIELDS).map(([kind, fields]) => [
    kind,
    Object.entries(fields as Record<string, FieldSpec>).map(([name, field]) => {
      const optional = typeof field === 'object' && 'optional' in field;
      const shape = optional ? (field as { optional: ShapeSpec }).optional : (field as ShapeSpec);
      return { name, optional, fits: fitter(shape), what: describe(shape) };
    }),
  ]),
);

export function isKnownKind(kind: string): kind is Kind {
  return CHECKS.has(kind);
}

/**
 * Undefined for a valid event, else what is wrong with it, in one line. A kind this version
 * does not know (written by a newer notify) is valid when its envelope is: readers keep it and
 * the fold ignores it. Its attempt line, of a known kind, still stops a duplicate send.
 */
export function eventProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a log event: not a JSON object';
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' || typeof e.ts !== 'string' || typeof e.project !== 'string' || typeof e.event !== 'string') {
    const missing = (['id', 'ts', 'project', 'event'] as const).filter((k) => typeof e[k] !== 'string');
    return `not a log event: ${quoted(missing)} missing or not a string`;
  }
  const checks = CHECKS.get(e.event);
  let ok = ISO_TIME.test(e.ts);
  if (checks) {
    for (let i = 0; i < checks.length && ok; i++) {
      const c = checks[i];
      const v = e[c.name];
      ok = v === undefined ? c.optional : c.fits(v);
    }
  }
  if (ok) return undefined;
  // The slow path, for the rare bad line: say everything that is wrong with it.
  const lacks = (checks ?? []).filter((c) => e[c.name] === undefined && !c.optional).map((c) => c.name);
  const wrong = (checks ?? []).filter((c) => e[c.name] !== undefined && !c.fits(e[c.name])).map((c) => `"${c.name}" is not ${c.what}`);
  if (!ISO_TIME.test(e.ts)) wrong.unshift(`"ts" is not an ISO 8601 date and time (${JSON.stringify(e.ts)})`);
  if (lacks.length === 0) return `${e.event}: ${wrong.join('; ')}`;
  return [`${e.event} lacks ${quoted(lacks)}`, ...wrong].join('; ');
}

function fitter(shape: ShapeSpec): (v: unknown) => boolean {
  switch (shape) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'wall':
      return (v) => typeof v === 'string' && parseWall(v) !== undefined;
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'string[]':
      return (v) => Array.isArray(v) && allOf(v, isString);
    case 'skipped[]':
      return (v) => Array.isArray(v) && allOf(v, isSkipped);
    case 'notice[]':
      return (v) => Array.isArray(v) && allOf(v, isNoticeUsed);
    case 'links[]':
      return (v) => Array.isArray(v) && allOf(v, isLink);
    case 'notes':
      return (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && allOf(Object.values(v), isString);
    default:
      return (v) => typeof v === 'string' && shape.includes(v);
  }
}

const isString = (x: unknown) => typeof x === 'string';
const isSkipped = (x: unknown) => typeof x === 'object' && x !== null && typeof (x as SkippedParty).party === 'string' && typeof (x as SkippedParty).reason === 'string';

/** { party, tell_by } with exactly one whole, non-negative period. */
const isNoticeUsed = (x: unknown) => {
  if (typeof x !== 'object' || x === null) return false;
  const n = x as Record<string, unknown>;
  const periods = ['working_days', 'days', 'hours'].filter((k) => n[k] !== undefined);
  return typeof n.party === 'string' && typeof n.tell_by === 'string' && ISO_TIME.test(n.tell_by) && periods.length === 1 && Number.isInteger(n[periods[0]]) && (n[periods[0]] as number) >= 0;
};
const isLink = (x: unknown) => typeof x === 'object' && x !== null && typeof (x as NoticeLink).title === 'string' && typeof (x as NoticeLink).url === 'string';

function allOf(list: unknown[], test: (x: unknown) => boolean): boolean {
  for (let i = 0; i < list.length; i++) if (!test(list[i])) return false;
  return true;
}

function describe(shape: ShapeSpec): string {
  switch (shape) {
    case 'string':
      return 'a string';
    case 'wall':
      return 'a date (2027-01-07) or a date and time (2027-01-07 09:00)';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string[]':
      return 'a list of strings';
    case 'skipped[]':
      return 'a list of { party, reason }';
    case 'notice[]':
      return 'a list of { party, working_days | days | hours, tell_by }';
    case 'links[]':
      return 'a list of { title, url }';
    case 'notes':
      return 'a mapping of party ids to text';
    default:
      return `one of ${shape.join(', ')}`;
  }
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
