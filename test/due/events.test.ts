import { describe, expect, it } from 'vitest';
import { eventProblem } from '../../src/domain/event-shape.js';
import { applyEvent, emptyState } from '../../src/domain/state.js';

const base = { id: 'e1', ts: '2027-01-05T09:00:00.000Z', project: 'ecard' };
const planned = { ...base, event: 'close.planned', actions: [], parties: ['advisers'], skipped: [], summary: 'x', effective: '2027-01-07' };

describe('the log events of told in time', () => {
  it('close.planned may record the deadlines it used, each with one period', () => {
    expect(eventProblem({ ...planned, notice: [{ party: 'advisers', working_days: 2, tell_by: '2027-01-04T18:00:00+01:00' }] })).toBeUndefined();
    expect(eventProblem(planned)).toBeUndefined();
    expect(eventProblem({ ...planned, notice: [{ party: 'advisers', working_days: 2, days: 3, tell_by: '2027-01-04T18:00:00+01:00' }] })).toBe('close.planned: "notice" is not a list of { party, working_days | days | hours, tell_by }');
    expect(eventProblem({ ...planned, notice: [{ party: 'advisers', hours: 2, tell_by: 'Monday' }] })).toMatch(/"notice" is not a list/);
  });

  it('party.late names the party, its deadline and the reason, and folds into the state once', () => {
    const late = { ...base, event: 'party.late', party: 'advisers', tell_by: '2027-01-04T18:00:00+01:00', reason: 'the date moved' };
    expect(eventProblem(late)).toBeUndefined();
    expect(eventProblem({ ...late, reason: undefined })).toBe('party.late lacks "reason"');
    const s = emptyState('ecard');
    applyEvent(s, late as never);
    applyEvent(s, { ...late, id: 'e2', reason: 'again' } as never);
    expect(s.late).toEqual([{ party: 'advisers', tell_by: '2027-01-04T18:00:00+01:00', reason: 'the date moved' }]);
  });
});
