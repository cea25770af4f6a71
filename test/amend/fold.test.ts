/** The pure parts of an amendment: its event's shape, the fold, the plan (who, which Message-ID, which subject) and the summary. */
import { describe, expect, it } from 'vitest';
import type { NotifyEvent } from '../../src/domain/events.js';
import { eventProblem } from '../../src/domain/event-shape.js';
import { foldProjects } from '../../src/domain/state.js';
import { amendmentMessageId, correctionMarker, planAmendment, toldParties, type AmendDecisions } from '../../src/domain/amend-plan.js';
import { messageIdFor } from '../../src/domain/deliveries.js';
import { summarize } from '../../src/domain/close-plan.js';
import { mapFrom } from '../fixtures/maps.js';
import { MAP } from './fixture.js';

let n = 0;
const ev = (e: Record<string, unknown>): NotifyEvent => ({ id: `e${++n}`, ts: `2027-01-0${1 + Math.floor(n / 60)}T10:00:${String(n % 60).padStart(2, '0')}.000Z`, project: 'voeux-2027', ...e }) as NotifyEvent;
const FROM = { address: 'projects@acme.test' };
const mid = (address: string) => messageIdFor('voeux-2027', address, FROM);
const sent = (recipient: string, parties: string[], message_id = mid(recipient)) => ev({ event: 'notification.sent', recipient, parties, message_id, response: '250 ok' });

/** The log of a close of voeux-2027 that told support (Marie, the list) and boss. */
function closedLog(): NotifyEvent[] {
  return [
    ev({ event: 'close.planned', title: 'New Year e-card', actions: ['customer-email'], parties: ['support', 'boss'], skipped: [], summary: 'E-card sent' }),
    sent('marie@acme.test', ['support']),
    sent('support@acme.test', ['support']),
    sent('boss@acme.test', ['boss']),
    ev({ event: 'project.closed', notified: ['support', 'boss'], skipped: [], recipients: 3 }),
  ];
}

const amended = (e: Record<string, unknown>) => ev({ event: 'close.amended', kind: 'parties', parties: ['marketing'], summary: 'E-card sent', reason: 'left out', decided_by: 'ana', ...e });

describe('close.amended: its shape', () => {
  const valid = { id: 'x', ts: '2027-01-05T10:00:00Z', project: 'voeux-2027', event: 'close.amended', kind: 'correction', parties: ['support'], summary: 'New date', details: 'More', reason: 'wrong date', decided_by: 'ana' };

  it('is valid whole, and without its optional details and decided_by', () => {
    expect(eventProblem(valid)).toBeUndefined();
    const { details: _d, decided_by: _b, ...bare } = valid;
    expect(eventProblem(bare)).toBeUndefined();
  });

  it('lacking its reason, or with a kind it does not know, is not a valid event', () => {
    const { reason: _r, ...noReason } = valid;
    expect(eventProblem(noReason)).toBe('close.amended lacks "reason"');
    expect(eventProblem({ ...valid, kind: 'retract' })).toBe('close.amended: "kind" is not one of parties, correction, cancel');
    expect(eventProblem({ ...valid, parties: 'support' })).toBe('close.amended: "parties" is not a list of strings');
  });
});

describe('the fold of an amendment', () => {
  it('opens the project again; its sends are its own, not the close\'s; a project.closed ends it', () => {
    const log = [...closedLog(), amended({})];
    const open = foldProjects(log).get('voeux-2027')!;
    expect(open.closed).toBeUndefined();
    expect(open.amending).toMatchObject({ ordinal: 1, after: { notified: ['support', 'boss'] } });
    log.push(ev({ event: 'notification.attempt', recipient: 'mkt@acme.test', parties: ['marketing'], message_id: '<a1>' }));
    const inFlight = foldProjects(log).get('voeux-2027')!;
    expect(inFlight.recipients.has('mkt@acme.test')).toBe(false);
    expect(inFlight.amending!.recipients.get('mkt@acme.test')).toMatchObject({ status: 'unknown', inFlight: true, messageId: '<a1>' });
    log.push(sent('mkt@acme.test', ['marketing'], '<a1>'), ev({ event: 'project.closed', notified: ['support', 'boss', 'marketing'], skipped: [], recipients: 4 }));
    const done = foldProjects(log).get('voeux-2027')!;
    expect(done.amending).toBeUndefined();
    expect(done.closed?.notified).toEqual(['support', 'boss', 'marketing']);
    expect(done.amendments).toHaveLength(1);
    expect(done.amendments[0].closed).toBe(log.at(-1));
    expect(done.amendments[0].recipients.get('mkt@acme.test')?.status).toBe('sent');
  });
});

describe('planAmendment', () => {
  const map = mapFrom(MAP);
  const now = new Date('2027-01-06T09:00:00Z');
  const parties: AmendDecisions = { project: 'voeux-2027', kind: 'parties', parties: ['marketing'], summary: 'E-card sent', reason: 'left out' };

  it('tells the new party\'s people who were not told, with Message-IDs of their own; someone told already counts as told', () => {
    const state = foldProjects(closedLog()).get('voeux-2027')!;
    const plan = planAmendment(map, state, parties, { now, resendUnknown: false });
    expect(plan.recorded).toBe(false);
    expect(plan.toSend.map((d) => d.to.address)).toEqual(['mkt@acme.test']);
    expect(plan.newRecipients).toBe(1);
    expect(plan.toSend[0].messageId).toBe(amendmentMessageId('voeux-2027', 1, 'mkt@acme.test', FROM));
    expect(plan.toSend[0].messageId).not.toBe(mid('mkt@acme.test'));
    expect(plan.toSend[0].inReplyTo).toBeUndefined();
    expect(plan.progress.pending).toEqual(['marketing']);
    expect(plan.date).toBe(now);
  });

  it('a correction goes to everyone told, answering the message each received, marked in their language', () => {
    const log = [...closedLog(), amended({}), sent('mkt@acme.test', ['marketing'], '<a1>'), ev({ event: 'project.closed', notified: ['support', 'boss', 'marketing'], skipped: [], recipients: 4 })];
    const state = foldProjects(log).get('voeux-2027')!;
    expect(toldParties(map, state)).toEqual(['support', 'marketing', 'boss']);
    const plan = planAmendment(map, state, { project: 'voeux-2027', kind: 'correction', parties: toldParties(map, state), summary: 'New date', reason: 'wrong date' }, { now, resendUnknown: false });
    expect(plan.ordinal).toBe(2);
    expect(plan.toSend.map((d) => [d.to.address, d.inReplyTo, d.subjectPrefix])).toEqual([
      ['marie@acme.test', mid('marie@acme.test'), 'Correction: '],
      ['support@acme.test', mid('support@acme.test'), 'Correction: '],
      ['boss@acme.test', mid('boss@acme.test'), 'Correction: '],
      ['mkt@acme.test', '<a1>', 'Correction\u00a0: '],
    ]);
    expect(new Set(plan.toSend.map((d) => d.messageId)).size).toBe(4);
    expect(plan.toSend.every((d) => d.messageId.startsWith('<notify.voeux-2027.a2.'))).toBe(true);
  });

  it('resumed: the recorded amendment\'s date, and the Message-ID its attempt line recorded', () => {
    const log = [...closedLog(), amended({}), ev({ event: 'notification.attempt', recipient: 'mkt@acme.test', parties: ['marketing'], message_id: '<recorded>' })];
    const state = foldProjects(log).get('voeux-2027')!;
    const plan = planAmendment(map, state, parties, { now, resendUnknown: true });
    expect(plan.recorded).toBe(true);
    expect(plan.date.toISOString()).toBe(log[5].ts);
    expect(plan.toSend.map((d) => d.messageId)).toEqual(['<recorded>']);
    expect(planAmendment(map, state, parties, { now, resendUnknown: false }).toSend).toEqual([]);
  });

  it('correctionMarker: by the language of the locale, English when not known', () => {
    expect(correctionMarker('fr')).toBe('Correction\u00a0: ');
    expect(correctionMarker('fr-CA')).toBe('Correction\u00a0: ');
    expect(correctionMarker('en-GB')).toBe('Correction: ');
    expect(correctionMarker('de')).toBe('Korrektur: ');
    expect(correctionMarker('sw')).toBe('Correction: ');
  });
});

describe('summarize during an amendment', () => {
  it('not closed; the party told now is pending until its send is recorded, then the project is closed again', () => {
    const map = mapFrom(MAP);
    const log = [...closedLog(), amended({})];
    const during = summarize(map, foldProjects(log).get('voeux-2027')!);
    expect(during).toMatchObject({ closed: false, planned: true, notified: ['support', 'boss'], pending: ['marketing'], amendment: { kind: 'parties', parties: ['marketing'], reason: 'left out', decided_by: 'ana' } });
    log.push(sent('mkt@acme.test', ['marketing'], '<a1>'), ev({ event: 'project.closed', notified: ['support', 'boss', 'marketing'], skipped: [], recipients: 4 }));
    const after = summarize(map, foldProjects(log).get('voeux-2027')!);
    expect(after).toMatchObject({ closed: true, notified: ['support', 'boss', 'marketing'], pending: [] });
    expect(after.amendment).toBeUndefined();
  });
});
