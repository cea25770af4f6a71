import { describe, expect, it } from 'vitest';
import { expectedParties, selectParties } from '../../src/domain/select.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';

const map = mapFrom(SMALL_MAP);
const table = (project: string | undefined, actions: string[], extra?: Map<string, string[]>) =>
  Object.fromEntries(selectParties(map, { project, actions, extra }).map((s) => [s.party.id, { group: s.group, reasons: s.reasons }]));

describe('selectParties: the rules that decide who is told', () => {
  it('always parties are selected with no action at all; the rest are "other"', () => {
    expect(table(undefined, [])).toEqual({
      support: { group: 'other', reasons: [] },
      sales: { group: 'other', reasons: [] },
      legal: { group: 'other', reasons: [] },
      boss: { group: 'always', reasons: ['always'] },
    });
  });

  it('a party is suggested when its affected_by meets an action, with one reason per matching action', () => {
    expect(table(undefined, ['pricing', 'customer-email'])).toMatchObject({
      support: { group: 'suggested', reasons: ['affected_by: customer-email', 'affected_by: pricing'] },
      sales: { group: 'suggested', reasons: ['affected_by: pricing'] },
      legal: { group: 'other', reasons: [] },
    });
  });

  it('a party the project names is suggested "named by project"', () => {
    expect(table('ecard', ['customer-email'])).toMatchObject({
      support: { group: 'suggested', reasons: ['affected_by: customer-email'] },
      sales: { group: 'other' },
      legal: { group: 'suggested', reasons: ['named by project'] },
      boss: { group: 'always' },
    });
  });

  it('an ad-hoc project (not in the map) names nobody', () => {
    expect(table('not-in-map', [])).toMatchObject({ legal: { group: 'other' } });
  });

  it('reasons from outside the map make a party suggested', () => {
    expect(table(undefined, [], new Map([['legal', ['paths: docs/legal/**']]]))).toMatchObject({ legal: { group: 'suggested', reasons: ['paths: docs/legal/**'] } });
  });

  it('an always party stays in the always group even when rules also match', () => {
    const m = mapFrom(SMALL_MAP.replace('    always: true', '    always: true\n    affected_by: [pricing]'));
    const boss = selectParties(m, { actions: ['pricing'] }).find((s) => s.party.id === 'boss')!;
    expect(boss).toMatchObject({ group: 'always', reasons: ['always', 'affected_by: pricing'] });
  });

  it('expectedParties keeps map order and leaves out "other"', () => {
    expect(expectedParties(selectParties(map, { project: 'ecard', actions: ['customer-email'] }))).toEqual(['support', 'legal', 'boss']);
    expect(expectedParties(selectParties(map, { project: 'promo', actions: ['pricing'] }))).toEqual(['support', 'sales', 'boss']);
  });
});
