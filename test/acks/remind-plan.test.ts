/** planReminders, pure: what is due when, from the map and the log's events. */
import { describe, expect, it } from 'vitest';
import { mapFrom } from '../fixtures/maps.js';
import { foldProjects } from '../../src/domain/state.js';
import { planReminders } from '../../src/domain/remind-plan.js';
import type { NotifyEvent } from '../../src/domain/events.js';

const map = mapFrom(`version: 1
from: "P <p@acme.test>"
replies: { imap: { url: "imap://127.0.0.1:1" }, address: r@acme.test }
parties:
  desk:
    contacts: ["a@acme.test", "b@acme.test"]
    ack: { required: true, remind_after: { hours: 4 }, within: { days: 2 }, escalate_to: boss }
  boss:
    contacts: ["boss@acme.test"]
`);

let n = 0;
const at = (ts: string, e: Record<string, unknown>) => ({ id: `e${n++}`, ts, project: 'p', ...e }) as unknown as NotifyEvent;
const sent = (who: string, ts: string) => at(ts, { event: 'notification.sent', recipient: who, parties: ['desk'], message_id: `<${who}>`, response: '250' });
const T0 = '2026-03-02T09:00:00.000Z';
const log = [
  at(T0, { event: 'close.planned', actions: [], parties: ['desk', 'boss'], skipped: [], summary: 's' }),
  sent('a@acme.test', T0),
  sent('b@acme.test', T0),
];
const plan = (events: NotifyEvent[], now: string) => planReminders(map, foldProjects(events).get('p')!, new Date(now));

describe('planReminders', () => {
  it('nothing before remind_after; reminders after it; the escalation only after within', () => {
    expect(plan(log, '2026-03-02T12:59:00Z')).toMatchObject({ due: [], next: new Date('2026-03-02T13:00:00.000Z') });
    expect(plan(log, '2026-03-02T13:00:00Z').due.map((s) => [s.step, s.to.address])).toEqual([['remind', 'a@acme.test'], ['remind', 'b@acme.test']]);
    expect(plan(log, '2026-03-04T09:00:00Z').due.map((s) => [s.step, s.to.address, s.waiting])).toEqual([
      ['remind', 'a@acme.test', undefined],
      ['remind', 'b@acme.test', undefined],
      ['escalate', 'boss@acme.test', ['a@acme.test', 'b@acme.test']],
    ]);
  });

  it('never plans a step sent or started again, retries a failed one, and leaves out who acknowledged', () => {
    const later = [
      ...log,
      at('2026-03-02T14:00:00.000Z', { event: 'ack.attempt', recipient: 'a@acme.test', parties: ['desk'], message_id: '<r-a>', step: 'remind', party: 'desk' }),
      at('2026-03-02T14:00:01.000Z', { event: 'ack.reminded', recipient: 'a@acme.test', parties: ['desk'], message_id: '<r-a>', party: 'desk', in_reply_to: '<a@acme.test>', response: '250' }),
      at('2026-03-02T14:00:02.000Z', { event: 'ack.attempt', recipient: 'b@acme.test', parties: ['desk'], message_id: '<r-b>', step: 'remind', party: 'desk' }),
    ];
    const p = plan(later, '2026-03-02T15:00:00Z');
    expect(p.due).toEqual([]);
    expect(p.unknown.map((u) => u.recipient)).toEqual(['b@acme.test']);
    const failed = [...later, at('2026-03-02T14:00:03.000Z', { event: 'ack.failed', recipient: 'b@acme.test', parties: ['desk'], message_id: '<r-b>', step: 'remind', party: 'desk', outcome: 'failed', text: '451 try later' })];
    expect(plan(failed, '2026-03-02T15:00:00Z').due.map((s) => s.to.address)).toEqual(['b@acme.test']);
    const acked = [...log, at('2026-03-02T10:00:00.000Z', { event: 'ack.received', recipient: 'B@acme.test', parties: ['desk'], message_id: '<b@acme.test>', via: 'reply' })];
    expect(plan(acked, '2026-03-05T00:00:00Z').due.map((s) => [s.step, s.waiting ?? s.to.address])).toEqual([['remind', 'a@acme.test'], ['escalate', ['a@acme.test']]]);
  });

  it('a bounce reopens the project and takes the person out of the reminders', () => {
    const bounced = [...log, at('2026-03-02T09:05:00.000Z', { event: 'project.closed', notified: ['desk', 'boss'], skipped: [], recipients: 3 }), at('2026-03-02T09:10:00.000Z', { event: 'notification.bounced', recipient: 'a@acme.test', parties: ['desk'], message_id: '<a@acme.test>', status: '5.1.1', diagnostic: 'unknown user' })];
    const state = foldProjects(bounced).get('p')!;
    expect(state.closed).toBeUndefined();
    expect(state.recipients.get('a@acme.test')).toMatchObject({ status: 'failed', permanent: true, bounced: { status: '5.1.1' } });
    expect(plan(bounced, '2026-03-02T13:00:00Z').due.map((s) => s.to.address)).toEqual(['b@acme.test']);
  });
});
