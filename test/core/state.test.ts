import { describe, expect, it } from 'vitest';
import type { NotifyEvent } from '../../src/domain/events.js';
import { emptyState, foldProjects } from '../../src/domain/state.js';
import { planDeliveries, type Decisions } from '../../src/domain/deliveries.js';
import { failureText, progressOf } from '../../src/domain/progress.js';
import { summarize } from '../../src/domain/close-plan.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';

let n = 0;
const ev = (e: Record<string, unknown>): NotifyEvent => ({ id: `e${++n}`, ts: `2027-01-01T10:00:${String(n).padStart(2, '0')}.000Z`, project: 'promo', ...e }) as NotifyEvent;
const who = (recipient: string, parties = ['sales']) => ({ recipient, parties, message_id: `<${recipient}>` });
const planned = ev({ event: 'close.planned', actions: ['pricing'], parties: ['support', 'sales', 'boss'], skipped: [], summary: 'New prices' });

describe('foldProjects: the log is the single source of truth', () => {
  it('separates projects and keeps the decisions of each', () => {
    const other = { ...ev({ event: 'close.planned', actions: [], parties: ['boss'], skipped: [], summary: 'x' }), project: 'ecard' } as NotifyEvent;
    const states = foldProjects([planned, other]);
    expect([...states.keys()]).toEqual(['promo', 'ecard']);
    expect(states.get('promo')!.planned).toMatchObject({ parties: ['support', 'sales', 'boss'] });
    expect(states.get('promo')!.firstTs).toBe(planned.ts);
  });

  it('an attempt without a result is unknown (in flight); a result settles it', () => {
    const s1 = foldProjects([planned, ev({ event: 'notification.attempt', ...who('a@acme.test') })]).get('promo')!;
    expect(s1.recipients.get('a@acme.test')).toMatchObject({ status: 'unknown', inFlight: true });
    const s2 = foldProjects([planned, ev({ event: 'notification.attempt', ...who('a@acme.test') }), ev({ event: 'notification.sent', ...who('a@acme.test'), response: '250 ok' })]).get('promo')!;
    expect(s2.recipients.get('a@acme.test')).toMatchObject({ status: 'sent', inFlight: false, response: '250 ok' });
  });

  it('a failure then a later success counts as sent; a sent recipient never goes back', () => {
    const s = foldProjects([
      planned,
      ev({ event: 'notification.failed', ...who('A@acme.test'), code: 550, text: 'no such user', permanent: true }),
      ev({ event: 'notification.sent', ...who('a@acme.test'), response: '250 ok' }),
      ev({ event: 'notification.attempt', ...who('a@acme.test') }),
      ev({ event: 'notification.failed', ...who('a@acme.test'), code: 451, text: 'later', permanent: false }),
    ]).get('promo')!;
    expect(s.recipients.size).toBe(1);
    expect(s.recipients.get('a@acme.test')).toMatchObject({ status: 'sent', response: '250 ok' });
  });

  it('records failures with code and text, skips once, and the close', () => {
    const closed = ev({ event: 'project.closed', notified: ['sales'], skipped: [{ party: 'support', reason: 'told in person' }], recipients: 1 });
    const s = foldProjects([
      planned,
      ev({ event: 'party.skipped', party: 'support', reason: 'told in person' }),
      ev({ event: 'party.skipped', party: 'support', reason: 'again' }),
      ev({ event: 'notification.failed', ...who('b@acme.test'), code: 550, text: 'no such user', permanent: true }),
      closed,
    ]).get('promo')!;
    expect(s.skipped).toEqual([{ party: 'support', reason: 'told in person' }]);
    expect(s.recipients.get('b@acme.test')).toMatchObject({ status: 'failed', code: 550, text: 'no such user' });
    expect(s.closed).toBe(closed);
    expect(s.lastTs).toBe(closed.ts);
  });
});

describe('progress and summary from the folded state', () => {
  const map = mapFrom(SMALL_MAP);
  const d: Decisions = { project: 'promo', actions: ['pricing'], parties: ['support', 'sales', 'boss'], skipped: [{ party: 'legal', reason: 'not concerned' }], summary: 'New prices' };
  const deliveries = planDeliveries(map, d);

  it('a party is notified only when every one of its recipients is sent; a shared person counts for both', () => {
    const state = foldProjects([
      planned,
      ev({ event: 'notification.sent', ...who('marie@acme.test', ['support', 'sales']), response: '250' }),
      ev({ event: 'notification.sent', ...who('sales@acme.test'), response: '250' }),
      ev({ event: 'notification.failed', ...who('support@acme.test', ['support']), code: 550, text: 'mailbox unavailable', permanent: true }),
    ]).get('promo')!;
    const p = progressOf(d, deliveries, state);
    expect(p.notified).toEqual(['sales']);
    expect(p.failed).toEqual(['support']);
    expect(p.pending).toEqual(['boss']);
    expect(p.skipped).toEqual([{ party: 'legal', reason: 'not concerned' }]);
    expect(p.toSend.map((x) => x.key)).toEqual(['support@acme.test', 'boss@acme.test']);
    expect(p.parties.find((x) => x.party === 'support')!.recipients).toContainEqual({ address: 'support@acme.test', status: 'failed', detail: '550 mailbox unavailable' });
  });

  it('summarize: a project never started lists the expected parties as pending', () => {
    const s = summarize(map, foldProjects([]).get('ecard') ?? emptyState('ecard'));
    expect(s).toMatchObject({ project: 'ecard', title: 'New Year e-card', closed: false, planned: false, pending: ['support', 'legal', 'boss'], notified: [] });
  });
});

describe('failureText', () => {
  it('shows the SMTP code once', () => {
    expect(failureText(550, '550 5.1.1 no such user')).toBe('550 5.1.1 no such user');
    expect(failureText(550, 'no such user')).toBe('550 no such user');
    expect(failureText(undefined, 'ECONNRESET: socket closed')).toBe('ECONNRESET: socket closed');
  });
});
