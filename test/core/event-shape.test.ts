import { describe, expect, it } from 'vitest';
import { eventProblem } from '../../src/domain/event-shape.js';
import { judgeLine } from '../../src/adapters/log/log-lines.js';

const TS = '2026-05-04T10:00:00.000Z';
const envelope = { id: 'e1', ts: TS, project: 'launch' };
const who = { recipient: 'ann@example.com', parties: ['sales'], message_id: '<m@example.com>' };

/** One valid event of each kind, as the writer lays them out. */
const VALID: Record<string, object> = {
  'close.planned': { ...envelope, event: 'close.planned', title: 'Launch', actions: ['pricing'], parties: ['sales'], skipped: [{ party: 'legal', reason: 'not concerned' }], summary: 'Done', details: 'More', decided_by: 'ann' },
  'party.skipped': { ...envelope, event: 'party.skipped', party: 'legal', reason: 'not concerned' },
  'notification.attempt': { ...envelope, event: 'notification.attempt', ...who },
  'notification.sent': { ...envelope, event: 'notification.sent', ...who, response: '250 ok', via: 'smtp' },
  'notification.failed': { ...envelope, event: 'notification.failed', ...who, code: 550, text: 'no such user', permanent: true },
  'notification.unknown': { ...envelope, event: 'notification.unknown', ...who, text: 'connection lost after the body' },
  'project.closed': { ...envelope, event: 'project.closed', notified: ['sales'], skipped: [], recipients: 2 },
  'notification.bounced': { ...envelope, event: 'notification.bounced', ...who, status: '5.1.1', diagnostic: '550 5.1.1 user unknown', reply_message_id: '<dsn@mx.example.com>' },
  'ack.received': { ...envelope, event: 'ack.received', ...who, via: 'reply', reply_message_id: '<r@example.com>', excerpt: 'OK' },
  'reply.auto': { ...envelope, event: 'reply.auto', ...who, reply_message_id: '<ooo@example.com>', reason: 'Auto-Submitted: auto-replied', subject: 'Out of Office' },
  'ack.attempt': { ...envelope, event: 'ack.attempt', ...who, step: 'remind', party: 'sales' },
  'ack.reminded': { ...envelope, event: 'ack.reminded', ...who, party: 'sales', in_reply_to: '<m0@example.com>', response: '250 ok' },
  'ack.escalated': { ...envelope, event: 'ack.escalated', ...who, party: 'sales', waiting: ['bob@example.com'], response: '250 ok' },
  'ack.failed': { ...envelope, event: 'ack.failed', ...who, step: 'escalate', party: 'sales', outcome: 'failed', text: '550 no such user' },
};

const without = (e: object, ...keys: string[]) => Object.fromEntries(Object.entries(e).filter(([k]) => !keys.includes(k)));

describe('eventProblem: one definition of a valid event', () => {
  it.each(Object.entries(VALID))('a whole %s is valid', (_kind, e) => {
    expect(eventProblem(e)).toBeUndefined();
  });

  it.each([
    ['close.planned', without(VALID['close.planned'], 'title', 'details', 'decided_by')],
    ['notification.sent', without(VALID['notification.sent'], 'via')],
    ['notification.sent marked by hand', { ...VALID['notification.sent'], via: 'manual', reason: 'confirmed by phone' }],
    ['notification.failed', without(VALID['notification.failed'], 'code')],
    ['an extra field (from a newer notify)', { ...VALID['notification.attempt'], attempt_no: 2 }],
    ['a time with an offset', { ...VALID['party.skipped'], ts: '2026-05-04T12:00:00+02:00' }],
    ['a time without fractions', { ...VALID['party.skipped'], ts: '2026-05-04T10:00:00Z' }],
  ])('optional fields may be left out: %s', (_what, e) => {
    expect(eventProblem(e)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['the line of the issue', { id: 'zz', ts: 'x', event: 'notification.sent', project: 'a' }, 'notification.sent lacks "recipient", "parties", "message_id", "response"; "ts" is not an ISO 8601 date and time ("x")'],
    ['a send with no recipient', without(VALID['notification.sent'], 'recipient'), 'notification.sent lacks "recipient"'],
    ['an attempt with no Message-ID', without(VALID['notification.attempt'], 'message_id'), 'notification.attempt lacks "message_id"'],
    ['a failure with no permanent flag', without(VALID['notification.failed'], 'permanent'), 'notification.failed lacks "permanent"'],
    ['an unknown outcome with no text', without(VALID['notification.unknown'], 'text'), 'notification.unknown lacks "text"'],
    ['a close with no recipients count', without(VALID['project.closed'], 'recipients'), 'project.closed lacks "recipients"'],
    ['a plan with no summary', without(VALID['close.planned'], 'summary'), 'close.planned lacks "summary"'],
    ['a skip with no reason', without(VALID['party.skipped'], 'reason'), 'party.skipped lacks "reason"'],
    ['parties that are not a list', { ...VALID['notification.sent'], parties: 'sales' }, 'notification.sent: "parties" is not a list of strings'],
    ['a list holding a number', { ...VALID['notification.sent'], parties: ['sales', 3] }, 'notification.sent: "parties" is not a list of strings'],
    ['a code as a string', { ...VALID['notification.failed'], code: '550' }, 'notification.failed: "code" is not a number'],
    ['permanent as a string', { ...VALID['notification.failed'], permanent: 'yes' }, 'notification.failed: "permanent" is not true or false'],
    ['an unknown way of sending', { ...VALID['notification.sent'], via: 'pigeon' }, 'notification.sent: "via" is not one of smtp, sendmail, file, manual'],
    ['a null optional field', { ...VALID['close.planned'], title: null }, 'close.planned: "title" is not a string'],
    ['skipped without reasons', { ...VALID['project.closed'], skipped: [{ party: 'legal' }] }, 'project.closed: "skipped" is not a list of { party, reason }'],
    ['a date only', { ...VALID['party.skipped'], ts: '2026-05-04' }, 'party.skipped: "ts" is not an ISO 8601 date and time ("2026-05-04")'],
    ['a time with no zone', { ...VALID['party.skipped'], ts: '2026-05-04T10:00:00' }, 'party.skipped: "ts" is not an ISO 8601 date and time ("2026-05-04T10:00:00")'],
    ['month 13', { ...VALID['party.skipped'], ts: '2026-13-04T10:00:00Z' }, 'party.skipped: "ts" is not an ISO 8601 date and time ("2026-13-04T10:00:00Z")'],
    ['a number as id', { ...VALID['party.skipped'], id: 7 }, 'not a log event: "id" missing or not a string'],
    ['no project', without(VALID['party.skipped'], 'project'), 'not a log event: "project" missing or not a string'],
    ['no event', { id: 'x', ts: TS }, 'not a log event: "project", "event" missing or not a string'],
    ['a list', [VALID['party.skipped']], 'not a log event: not a JSON object'],
    ['a string', 'notification.sent', 'not a log event: not a JSON object'],
    ['null', null, 'not a log event: not a JSON object'],
  ])('%s: %s', (_what, value, problem) => {
    expect(eventProblem(value)).toBe(problem);
  });

  it('a kind from a newer notify is valid when its envelope is (readers keep it, the fold ignores it)', () => {
    expect(eventProblem({ ...envelope, event: 'notification.opened', recipient: 'ann@example.com' })).toBeUndefined();
    expect(eventProblem({ ...envelope, ts: 'yesterday', event: 'notification.opened' })).toBe('notification.opened: "ts" is not an ISO 8601 date and time ("yesterday")');
  });

  it.each<[string, unknown, string]>([
    ['a manual acknowledgement by another way', { ...VALID['ack.received'], via: 'phone' }, 'ack.received: "via" is not one of reply, manual'],
    ['a bounce without its status', without(VALID['notification.bounced'], 'status'), 'notification.bounced lacks "status"'],
    ['an automatic reply without the Message-ID that dedupes it', without(VALID['reply.auto'], 'reply_message_id'), 'reply.auto lacks "reply_message_id"'],
    ['a reminder step of another kind', { ...VALID['ack.attempt'], step: 'nag' }, 'ack.attempt: "step" is not one of remind, escalate'],
  ])('the ack events are checked like the others: %s', (_what, e, problem) => {
    expect(eventProblem(e)).toBe(problem);
  });

  it('field names are data, not the prototype', () => {
    expect(eventProblem({ ...envelope, event: 'constructor' })).toBeUndefined();
    expect(eventProblem({ ...envelope, event: 'toString' })).toBeUndefined();
  });
});

describe('judgeLine: what each line of the log is', () => {
  it.each<[string, string]>([
    ['', 'blank'],
    ['   ', 'blank'],
    ['<<<<<<< HEAD', 'conflict'],
    ['{"id":"a","ts":"2026', 'unparsed'],
    ['\0\0\0\0', 'unparsed'],
    ['{"id":"zz","ts":"x","event":"notification.sent","project":"a"}', 'invalid'],
    ['42', 'invalid'],
    [JSON.stringify(VALID['notification.sent']), 'event'],
  ])('%j is %s', (line, kind) => {
    expect(judgeLine(line).kind).toBe(kind);
  });
});
