/**
 * The shipped templates, rendered for the example maps in both languages, read as an adviser
 * between two calls reads them: the five questions (what changed, since when, what customers
 * will see, what to say, whom to ask) answered in the first ten lines when the fields are filled;
 * and without them, a message that still reads correctly (no empty heading, no dangling punctuation).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { render, type Rendered } from '../../src/domain/render.js';
import { templateVars } from '../../src/domain/vars.js';
import { planDeliveries, type Decisions } from '../../src/domain/deliveries.js';
import type { StakeholderMap } from '../../src/domain/map.js';
import { selectParties, expectedParties } from '../../src/domain/select.js';
import { TemplateStore } from '../../src/adapters/mail/templates.js';
import { ROOT } from '../helpers/workspace.js';
import { mapFrom } from '../fixtures/maps.js';
import { MARKDOWN_MARKERS } from './mime.js';

const EXAMPLES = [
  { dir: 'assurance', project: 'voeux-2027' },
  { dir: 'retail', project: 'summer-sale' },
];

/** Every label the shipped templates write, in both languages: none may show without its content. */
const LABELS = ['Who is affected', 'What customers will see', 'What to say', 'For ', 'Links', 'Details', 'Qui est concerné', 'Ce que verront les clients', 'Que leur répondre', 'Pour l’équipe', 'Liens', 'Détails'];

const store = new TemplateStore('/nowhere', '/nowhere');

function exampleMap(dir: string, locale: string): StakeholderMap {
  const map = mapFrom(fs.readFileSync(path.join(ROOT, 'examples', dir, 'notify.yaml'), 'utf8'), path.join(ROOT, 'examples', dir, 'notify.yaml'));
  // The same map written in one language throughout.
  map.locale = locale;
  for (const p of map.parties.values()) p.locale = undefined;
  return map;
}

/** The decisions a close takes from the map alone (no flag, no question). */
function decisionsOf(map: StakeholderMap, id: string): Decisions {
  const project = map.projects.get(id)!;
  const parties = expectedParties(selectParties(map, { project: id, actions: project.actions }));
  return { project: id, title: project.title, actions: project.actions, parties, skipped: [], summary: project.summary!, ...project.notice, details: project.details };
}

/** Two weeks before it takes effect: the message says "from". */
function sentBefore(d: Decisions): Date {
  return new Date(Date.parse(`${d.effective!.slice(0, 10)}T12:00:00Z`) - 14 * 24 * 3600 * 1000);
}

function renderAll(map: StakeholderMap, d: Decisions, date: Date): { rendered: Rendered; parties: string[]; name?: string }[] {
  return planDeliveries(map, d).map((delivery) => ({ rendered: render(store.get(undefined, delivery.locale), templateVars(map, d, delivery, date)), parties: delivery.parties, name: delivery.to.name }));
}

describe.each(EXAMPLES)('the example map $dir, rendered with the shipped templates', ({ dir, project }) => {
  describe.each(['en', 'fr'])('in %s', (locale) => {
    const map = exampleMap(dir, locale);
    const filled = decisionsOf(map, project);
    const owner = map.projects.get(project)!.owner!;

    it('with the fields filled, answers the five questions in the first ten lines', () => {
      expect(filled.effective && filled.customersWillSee && filled.whatToSay && owner.name).toBeTruthy();
      for (const { rendered, parties } of renderAll(map, filled, sentBefore(filled))) {
        const vars = templateVars(map, filled, planDeliveries(map, filled).find((x) => x.parties.join() === parties.join())!, sentBefore(filled));
        const head = rendered.text.split('\n').slice(0, 10).join('\n');
        const flat = (s: string) => s.replace(/\s+/g, ' ');
        expect(head, 'what changed').toContain(filled.summary);
        expect(head, 'since when').toContain(`${locale === 'fr' ? 'À partir du' : 'From'} ${vars.effective}.`);
        expect(flat(head), 'what customers will see').toContain(flat(filled.customersWillSee!).slice(0, 40));
        expect(flat(head), 'what to say').toContain(flat(filled.whatToSay!).slice(0, 40));
        expect(head, 'whom to ask').toContain(owner.name!);
        // The subject: the fact first, with the date; no "Done:".
        expect(rendered.subject).toMatch(new RegExp(`^\\[${map.organization}\\] (From|Dès le) ${vars.effective_short}\\u202f?: `));
        expect(rendered.subject).not.toMatch(/Done|terminé/i);
        if (dir === 'assurance') expect([...rendered.subject].length).toBeLessThanOrEqual(78);
        // Each party's own note, and only theirs.
        // As typed, whatever the typography did to the spaces before : ; ? !
        const typed = (s: string) => s.replace(/[ \u202f]+([:;?!»])/g, '$1').replace(/«[ \u202f]+/g, '«');
        for (const [id, note] of Object.entries(filled.notes ?? {})) expect(typed(rendered.text).includes(typed(note)), `${parties} / note of ${id}`).toBe(parties.includes(id));
        for (const l of filled.links ?? []) expect(rendered.text).toContain(`${l.title} (${l.url})`);
        expect(rendered.text).not.toMatch(MARKDOWN_MARKERS);
        expect(rendered.html).toContain(`<html lang="${locale}">`);
      }
    });

    it('without them, still reads correctly: no empty heading, no dangling punctuation', () => {
      const bare: Decisions = { ...filled, effective: undefined, timezone: undefined, audience: undefined, customersWillSee: undefined, whatToSay: undefined, notes: undefined, links: undefined, details: undefined };
      for (const { rendered, name } of renderAll(map, bare, new Date('2026-12-20T10:00:00Z'))) {
        const { text, subject } = rendered;
        expect(subject).toBe(`[${map.organization}] ${bare.summary}`);
        for (const label of LABELS) expect(text, label).not.toMatch(new RegExp(`^${label}`, 'm'));
        const lines = text.trimEnd().split('\n');
        expect(lines[0]).toBe(`${locale === 'fr' ? 'Bonjour' : 'Hello'}${name ? ` ${name}` : ''},`);
        expect(lines[2]).toBe(bare.summary);
        expect(lines.at(-1)).toBe(`— ${map.from.name}`);
        const dangling = /\n{3}|[ \u202f]$|^\s*[:;,.]|[:;,]\s*$|\s[,.]|\.\.|,,|\(\s*\)|^\s*-\s*$/m;
        expect(lines.slice(1).filter((l) => dangling.test(l)), text).toEqual([]);
        expect(text).not.toMatch(/\n{3}/);
        expect(text).not.toMatch(MARKDOWN_MARKERS);
        expect(rendered.html).not.toMatch(/<(p|strong|blockquote|li|h\d)>\s*<\/\1>/);
      }
    });
  });
});
