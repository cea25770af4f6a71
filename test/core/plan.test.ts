import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowedRecipients, messageIdFor, planDeliveries, type Decisions } from '../../src/domain/deliveries.js';
import { foldProjects } from '../../src/domain/state.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';

const map = mapFrom(SMALL_MAP);
const decisions = (over: Partial<Decisions> = {}): Decisions => ({ project: 'promo', actions: ['pricing'], parties: ['support', 'sales', 'boss'], skipped: [], summary: 'New prices', ...over });

describe('planDeliveries: one message per person', () => {
  it('a person in several parties gets one delivery naming all of them', () => {
    const plan = planDeliveries(map, decisions());
    expect(plan.map((d) => [d.to.address, d.parties])).toEqual([
      ['marie@acme.test', ['support', 'sales']],
      ['support@acme.test', ['support']],
      ['sales@acme.test', ['sales']],
      ['boss@acme.test', ['boss']],
    ]);
    expect(new Set(plan.map((d) => d.key)).size).toBe(plan.length);
  });

  it('recognises the same person whatever the case of the address, keeping the first display name', () => {
    const m = mapFrom(SMALL_MAP.replace('contacts: ["sales@acme.test", "marie@acme.test"]', 'contacts: ["sales@acme.test", "MARIE@Acme.Test"]'));
    const plan = planDeliveries(m, decisions());
    const marie = plan.filter((d) => d.key === 'marie@acme.test');
    expect(marie).toHaveLength(1);
    expect(marie[0]).toMatchObject({ to: { address: 'marie@acme.test', name: 'Marie' }, parties: ['support', 'sales'] });
  });

  it('only the selected parties are planned', () => {
    const plan = planDeliveries(map, decisions({ parties: ['sales'] }));
    expect(plan.map((d) => d.to.address)).toEqual(['sales@acme.test', 'marie@acme.test']);
    expect(plan[1].parties).toEqual(['sales']);
  });

  it('the Message-ID is stable per (project, recipient) and differs across projects and recipients', () => {
    const a = planDeliveries(map, decisions());
    const b = planDeliveries(map, decisions({ parties: ['sales', 'support', 'boss'], summary: 'other words' }));
    const idOf = (plan: typeof a, who: string) => plan.find((d) => d.key === who)!.messageId;
    expect(idOf(a, 'marie@acme.test')).toBe(idOf(b, 'marie@acme.test'));
    expect(idOf(a, 'marie@acme.test')).toBe(messageIdFor('promo', 'Marie@ACME.test', map.from));
    expect(idOf(a, 'marie@acme.test')).not.toBe(idOf(a, 'sales@acme.test'));
    expect(messageIdFor('ecard', 'marie@acme.test', map.from)).not.toBe(idOf(a, 'marie@acme.test'));
    expect(idOf(a, 'marie@acme.test')).toMatch(/^<notify\.promo\.[0-9a-f]{24}@acme\.test>$/);
  });

  it('a recipient with a message in the log keeps its recorded Message-ID, even after from: changed', () => {
    const moved = mapFrom(SMALL_MAP.replace(/^from: .*$/m, 'from: "Projets <projets@elsewhere.test>"'));
    const recorded = '<notify.promo.recorded@acme.test>';
    const state = foldProjects([
      { id: 'a1', ts: '2027-01-01T10:00:00.000Z', project: 'promo', event: 'notification.attempt', recipient: 'Marie@ACME.test', parties: ['support'], message_id: recorded },
      { id: 'u1', ts: '2027-01-01T10:00:01.000Z', project: 'promo', event: 'notification.unknown', recipient: 'marie@acme.test', parties: ['support'], message_id: recorded, text: 'lost' },
      // A later line with another id (an older notify recomputed it): the first recorded one stays.
      { id: 'a2', ts: '2027-01-01T10:00:02.000Z', project: 'promo', event: 'notification.attempt', recipient: 'marie@acme.test', parties: ['support'], message_id: '<other@acme.test>' },
    ]).get('promo')!;
    const plan = planDeliveries(moved, decisions(), state);
    expect(plan.find((d) => d.key === 'marie@acme.test')!.messageId).toBe(recorded);
    // Nothing recorded yet: computed from the map's from address.
    expect(plan.find((d) => d.key === 'boss@acme.test')!.messageId).toBe(messageIdFor('promo', 'boss@acme.test', moved.from));
    expect(messageIdFor('promo', 'marie@acme.test', moved.from)).not.toBe(recorded);
  });

  it('locale comes from the first party, else the map; the template from the first party naming one, else the project', () => {
    const m = mapFrom(
      SMALL_MAP.replace('    affected_by: [pricing]\n  legal:', '    affected_by: [pricing]\n    locale: fr\n    template: sales.md\n  legal:').replace('    actions: [pricing]\n', '    actions: [pricing]\n    template: promo.md\n'),
    );
    const plan = planDeliveries(m, decisions());
    const by = (k: string) => plan.find((d) => d.key === k)!;
    expect(by('sales@acme.test')).toMatchObject({ locale: 'fr', template: 'sales.md' });
    expect(by('support@acme.test')).toMatchObject({ locale: 'en', template: 'promo.md' });
    expect(by('marie@acme.test')).toMatchObject({ locale: 'en', template: 'sales.md' });
  });

  it('allowedRecipients is exactly the contacts of the selected parties', () => {
    expect([...allowedRecipients(map, ['sales', 'boss'])].sort()).toEqual(['boss@acme.test', 'marie@acme.test', 'sales@acme.test']);
  });
});

describe('planDeliveries: nobody told twice, nobody missed (property)', () => {
  it('holds for any parties sharing any contacts', () => {
    const people = ['a@x.test', 'B@x.test', 'b@x.test', 'c@y.test', 'd@y.test', 'e@z.test'];
    const partyArb = fc.uniqueArray(fc.constantFrom(...people), { minLength: 1, maxLength: 4, selector: (p) => p });
    fc.assert(
      fc.property(fc.array(partyArb, { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (parties, picked) => {
        const yaml = `version: 1\nfrom: p@x.test\nparties:\n${parties.map((cs, i) => `  p${i}:\n    contacts: [${cs.join(', ')}]\n`).join('')}`;
        const m = mapFrom(yaml);
        const selected = parties.map((_, i) => `p${i}`).filter((_, i) => picked[i]);
        const plan = planDeliveries(m, { project: 'x', actions: [], parties: selected, skipped: [], summary: 's' });
        const expected = new Map<string, Set<string>>();
        for (const id of selected) for (const c of m.parties.get(id)!.contacts) {
          const k = c.address.toLowerCase();
          if (!expected.has(k)) expected.set(k, new Set());
          expected.get(k)!.add(id);
        }
        expect(plan.map((d) => d.key).sort()).toEqual([...expected.keys()].sort());
        for (const d of plan) expect(new Set(d.parties)).toEqual(expected.get(d.key));
        expect(new Set(plan.map((d) => d.messageId)).size).toBe(plan.length);
      }),
      { numRuns: 200 },
    );
  });
});
