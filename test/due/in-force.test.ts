/** The date in force, the calendar event's SEQUENCE and when people were told of it: all from the log (fast tier, no I/O). */
import { describe, expect, it } from 'vitest';
import { eventProblem } from '../../src/domain/event-shape.js';
import { eventSequence, inForce, toldOfDateInForce } from '../../src/domain/in-force.js';
import { timingsOf } from '../../src/domain/notice-period.js';
import { foldProjects } from '../../src/domain/state.js';

let n = 0;
const ev = (ts: string, event: string, fields: object) => ({ id: `e${++n}`, ts, project: 'ecard', event, ...fields }) as never;
const planned = ev('2026-12-01T08:00:00.000Z', 'close.planned', { actions: [], parties: ['advisers'], skipped: [], summary: 's', effective: '2027-01-21', timezone: 'Europe/Paris', notice: [{ party: 'advisers', working_days: 2, tell_by: '2027-01-18T18:00:00+01:00' }] });
const sent = (ts: string, recipient: string) => [
  ev(ts, 'notification.attempt', { recipient, parties: ['advisers'], message_id: `<${recipient}.${ts}>` }),
  ev(ts, 'notification.sent', { recipient, parties: ['advisers'], message_id: `<${recipient}.${ts}>`, response: '250 ok' }),
];
const closed = (ts: string) => ev(ts, 'project.closed', { notified: ['advisers'], skipped: [], recipients: 1 });
const amended = (ts: string, kind: string, more: object = {}) => ev(ts, 'close.amended', { kind, parties: ['advisers'], summary: 'x', reason: 'r', ...more });
const move = (ts: string, effective: string, tellBy: string) => amended(ts, 'correction', { effective, notice: [{ party: 'advisers', working_days: 2, tell_by: tellBy }] });
const fold = (events: never[]) => foldProjects(events).get('ecard')!;

describe('the SEQUENCE of the calendar event', () => {
  const k = (kind: 'parties' | 'correction' | 'cancel', effective?: string) => ({ kind, effective });
  it('is 0 for the close, one more for each move of the date or cancellation, and unchanged by other amendments', () => {
    expect(eventSequence([])).toBe(0);
    expect(eventSequence([], k('parties'))).toBe(0);
    expect(eventSequence([], k('correction'))).toBe(0);
    expect(eventSequence([], k('correction', '2027-01-28'))).toBe(1);
    expect(eventSequence([k('correction', '2027-01-28')], k('parties'))).toBe(1);
    expect(eventSequence([k('correction', '2027-01-28'), k('correction'), k('parties')], k('correction', '2027-02-04'))).toBe(2);
    expect(eventSequence([k('correction', '2027-01-28'), k('correction', '2027-02-04')], k('cancel'))).toBe(3);
  });

  it('is the same when an amendment is planned again from the log (a resumed amendment)', () => {
    const state = fold([planned, ...sent('2026-12-01T08:00:00.000Z', 'a@x'), closed('2026-12-01T08:00:01.000Z'), move('2026-12-10T08:00:00.000Z', '2027-01-28', '2027-01-25T18:00:00+01:00')]);
    const [only] = state.amendments;
    expect(eventSequence(state.amendments.slice(0, only.ordinal - 1).map((a) => a.event), only.event)).toBe(1);
  });
});

describe('the date in force', () => {
  it('is the close\'s, then each move\'s with its deadlines; a cancellation is remembered, a plain correction changes nothing', () => {
    const base = [planned, ...sent('2026-12-01T08:00:00.000Z', 'a@x'), closed('2026-12-01T08:00:01.000Z')];
    expect(inForce(fold(base))).toMatchObject({ effective: '2027-01-21', timezone: 'Europe/Paris', notice: [{ tell_by: '2027-01-18T18:00:00+01:00' }] });
    const moved = [...base, amended('2026-12-05T08:00:00.000Z', 'correction'), move('2026-12-10T08:00:00.000Z', '2027-01-28', '2027-01-25T18:00:00+01:00')];
    const s = fold(moved);
    expect(inForce(s)).toMatchObject({ effective: '2027-01-28', timezone: 'Europe/Paris', notice: [{ tell_by: '2027-01-25T18:00:00+01:00' }] });
    expect(inForce(s).movedBy?.ordinal).toBe(2);
    // Before the move, the close's date was in force.
    expect(inForce(s, s.amendments[1]).effective).toBe('2027-01-21');
    expect(inForce(fold([...moved, amended('2026-12-15T08:00:00.000Z', 'cancel')])).cancelledBy?.ordinal).toBe(3);
  });
});

describe('when people were told of the date in force', () => {
  const close = [planned, ...sent('2026-12-01T08:00:00.000Z', 'a@x'), closed('2026-12-01T08:00:01.000Z')];

  it('a move later keeps the close\'s notice: it announced an earlier date', () => {
    const s = fold([...close, move('2027-01-20T08:00:00.000Z', '2027-01-22', '2027-01-19T18:00:00+01:00'), ...sent('2027-01-20T08:00:00.000Z', 'a@x')]);
    expect(toldOfDateInForce(s).get('a@x')).toBe('2026-12-01T08:00:00.000Z');
  });

  it('a move earlier counts only from the correction that announced it', () => {
    const s = fold([...close, move('2027-01-19T08:00:00.000Z', '2027-01-14', '2027-01-11T18:00:00+01:00')]);
    expect(toldOfDateInForce(s).has('a@x')).toBe(false);
    const told = fold([...close, move('2027-01-19T08:00:00.000Z', '2027-01-14', '2027-01-11T18:00:00+01:00'), ...sent('2027-01-19T08:00:00.000Z', 'a@x')]);
    expect(toldOfDateInForce(told).get('a@x')).toBe('2027-01-19T08:00:00.000Z');
  });

  it('a plain correction and a cancellation announce no date', () => {
    const s = fold([...close, move('2027-01-02T08:00:00.000Z', '2027-01-14', '2027-01-11T18:00:00+01:00'), amended('2027-01-03T08:00:00.000Z', 'correction'), ...sent('2027-01-03T08:00:00.000Z', 'a@x')]);
    expect(toldOfDateInForce(s).has('a@x')).toBe(false);
  });

  it('an accepted late notice holds for the deadline it was accepted for, not for a moved one', () => {
    const late = (tellBy: string) => ev('2027-01-19T08:00:00.000Z', 'party.late', { party: 'advisers', tell_by: tellBy, reason: 'why' });
    const deliveries = [{ key: 'a@x', to: { address: 'a@x' }, parties: ['advisers'], messageId: '<m>', locale: 'en' }];
    const s = fold([...close, move('2027-01-19T08:00:00.000Z', '2027-01-14', '2027-01-11T18:00:00+01:00'), late('2027-01-18T18:00:00+01:00')]);
    expect(timingsOf(inForce(s).notice!, deliveries, s)[0].accepted_reason).toBeNull();
    const ok = fold([...close, move('2027-01-19T08:00:00.000Z', '2027-01-14', '2027-01-11T18:00:00+01:00'), late('2027-01-11T18:00:00+01:00')]);
    expect(timingsOf(inForce(ok).notice!, deliveries, ok)[0].accepted_reason).toBe('why');
  });
});

describe('close.amended with a new date or a cancellation', () => {
  const base = { id: 'e', ts: '2027-01-05T09:00:00.000Z', project: 'ecard', event: 'close.amended', parties: ['advisers'], summary: 's', reason: 'r' };
  it('is a valid event; the date and deadlines are optional, a kind it does not know is not', () => {
    expect(eventProblem({ ...base, kind: 'cancel' })).toBeUndefined();
    expect(eventProblem({ ...base, kind: 'correction', effective: '2027-01-28', notice: [{ party: 'advisers', days: 3, tell_by: '2027-01-25T18:00:00+01:00' }] })).toBeUndefined();
    expect(eventProblem({ ...base, kind: 'correction', effective: 7 })).toMatch(/"effective"/);
    expect(eventProblem({ ...base, kind: 'correction', effective: '2027-01-28 09:00' })).toBeUndefined();
    // A hand edit that is not a date would be shown as "moving the date to soon".
    expect(eventProblem({ ...base, kind: 'correction', effective: 'soon' })).toBe('close.amended: "effective" is not a date (2027-01-07) or a date and time (2027-01-07 09:00)');
    expect(eventProblem({ ...base, event: 'close.planned', actions: [], skipped: [], effective: '2027-02-30' })).toMatch(/"effective" is not a date/);
    expect(eventProblem({ ...base, kind: 'postpone' })).toBe('close.amended: "kind" is not one of parties, correction, cancel');
  });
});
