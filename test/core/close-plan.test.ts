/** planClose: one value that close, its dry run, preview and check read. Pure, no I/O. */
import { describe, expect, it } from 'vitest';
import { isComplete, openParties, planClose } from '../../src/domain/close-plan.js';
import type { NotifyEvent } from '../../src/domain/events.js';
import type { Decisions } from '../../src/domain/deliveries.js';
import { emptyState, foldProjects } from '../../src/domain/state.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';

const map = mapFrom(SMALL_MAP);
const decisions: Decisions = { project: 'ecard', actions: ['customer-email'], parties: ['support', 'legal', 'boss'], skipped: [], summary: 'The e-card went out' };
const now = new Date('2027-01-04T09:00:00Z');
const base = { id: 'x', project: 'ecard' };
const stateOf = (events: Partial<NotifyEvent>[]) => foldProjects(events.map((e, i) => ({ ...base, id: `e${i}`, ...e }) as NotifyEvent)).get('ecard') ?? emptyState('ecard');
const planned = { event: 'close.planned', ts: '2027-01-03T10:00:00.000Z', actions: decisions.actions, parties: decisions.parties, skipped: [], summary: decisions.summary } as Partial<NotifyEvent>;
const sent = (recipient: string, parties: string[]) => ({ event: 'notification.sent', ts: '2027-01-03T10:00:01.000Z', recipient, parties, message_id: '<m>', response: '250' }) as Partial<NotifyEvent>;
const unknown = (recipient: string, parties: string[]) => ({ event: 'notification.unknown', ts: '2027-01-03T10:00:01.000Z', recipient, parties, message_id: '<m>', text: 'lost' }) as Partial<NotifyEvent>;

describe('planClose', () => {
  it('a fresh close: every delivery to send, dated now, not recorded', () => {
    const plan = planClose(map, emptyState('ecard'), decisions, { now, resendUnknown: false });
    expect(plan.recorded).toBe(false);
    expect(plan.date).toEqual(now);
    expect(plan.toSend.map((d) => d.key).sort()).toEqual(['boss@acme.test', 'legal@acme.test', 'marie@acme.test', 'support@acme.test']);
    expect(plan.deliveries).toHaveLength(4);
    expect(isComplete(plan.progress)).toBe(false);
  });

  it('a resumed close: dated when decided, sends only what has no recorded send', () => {
    const plan = planClose(map, stateOf([planned, sent('legal@acme.test', ['legal']), sent('boss@acme.test', ['boss'])]), decisions, { now, resendUnknown: false });
    expect(plan.recorded).toBe(true);
    expect(plan.date.toISOString()).toBe('2027-01-03T10:00:00.000Z');
    expect(plan.toSend.map((d) => d.key).sort()).toEqual(['marie@acme.test', 'support@acme.test']);
    expect(plan.progress.notified.sort()).toEqual(['boss', 'legal']);
    expect(openParties(plan.progress)).toEqual(['support']);
  });

  it('an unknown outcome is left alone unless --resend-unknown, and keeps the close open', () => {
    const state = stateOf([planned, unknown('legal@acme.test', ['legal'])]);
    expect(planClose(map, state, decisions, { now, resendUnknown: false }).toSend.map((d) => d.key)).not.toContain('legal@acme.test');
    expect(planClose(map, state, decisions, { now, resendUnknown: true }).toSend.map((d) => d.key)).toContain('legal@acme.test');
    expect(planClose(map, state, decisions, { now, resendUnknown: false }).progress.unknown).toEqual(['legal']);
  });

  it('every party told: complete, nothing to send', () => {
    const state = stateOf([planned, ...['marie@acme.test', 'support@acme.test'].map((r) => sent(r, ['support'])), sent('legal@acme.test', ['legal']), sent('boss@acme.test', ['boss'])]);
    const plan = planClose(map, state, decisions, { now, resendUnknown: true });
    expect(plan.toSend).toHaveLength(0);
    expect(isComplete(plan.progress)).toBe(true);
  });
});
