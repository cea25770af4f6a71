/**
 * The shipped templates run as programs, without Handlebars (domain/template-program.ts): what
 * they give must be exactly what Handlebars gives, and where they cannot tell, Handlebars
 * renders. Checked against Handlebars itself on the shipped templates and on random templates
 * and values.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { compileTemplate, programTemplate, render, type TemplateVars } from '../../src/domain/render.js';
import { programOf, runProgram } from '../../src/domain/template-program.js';
import { parseTemplateFile, SHIPPED_TEMPLATES, shippedLocales, TemplateStore } from '../../src/adapters/mail/templates.js';
import { makeShippedPrograms } from '../../src/adapters/mail/make-programs.js';
import { shippedPrograms } from '../../src/adapters/mail/shipped-programs.js';
import { templateVars } from '../../src/domain/vars.js';
import { planDeliveries, type Decisions } from '../../src/domain/deliveries.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';

const STRICT = { strict: true, noEscape: true } as const;

const source = (body: string) => ({ file: 't.md', subject: 'x', body, bodyLine: 4, subjectLine: 2 });

/** What Handlebars gives (compiled as notify compiles any template): the text, or the error's message. */
function handlebars(template: string, context: unknown): string {
  try {
    return compileTemplate(source(template)).text(context as TemplateVars);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

function viaProgram(template: string, context: unknown): string {
  const program = programOf(Handlebars.parse(template));
  if (!program) throw new Error(`not a program: ${template}`);
  try {
    return programTemplate(source(template), { subject: [], body: program }).text(context as TemplateVars);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const text = fc.constantFrom('', ' ', '  ', '\n', '\n\n', ' \n', 'Hi', '**x**', ', ', ':', '- a\n', '# T\n', '\t', 'é—', '\r\n');
const value = fc.oneof(fc.string({ maxLength: 6 }), fc.boolean(), fc.integer({ min: -1, max: 2 }), fc.constant(''), fc.constant(null), fc.constant(undefined), fc.constant(Number.NaN));
const item = fc.record({ name: fc.oneof(fc.string({ maxLength: 4 }), fc.constant('')), text: value }, { requiredKeys: [] });
const context = fc.record(
  { summary: value, audience: value, effective: value, project: fc.record({ owner: value, title: value }, { requiredKeys: [] }), notes: fc.oneof(fc.array(item, { maxLength: 3 }), value) },
  { requiredKeys: [] },
);

/** Templates of values, #if and #unless / else / else if and #each, with the spacing Handlebars' standalone rules look at. */
const template = fc.letrec<{ top: string; inner: string }>((tie) => {
  // Names the values may lack too: details, and party in a note.
  const names = (inner: boolean) => (inner ? fc.constantFrom('name', 'text', 'party') : fc.constantFrom('summary', 'audience', 'effective', 'project.owner', 'project.title', 'details'));
  const tilde = fc.constantFrom('', '~');
  const build = (inner: boolean) => {
    const leaf = fc.oneof(text, fc.tuple(tilde, names(inner), tilde).map(([l, n, r]) => `{{${l}${n}${r}}}`));
    const rest = inner ? tie('inner') : tie('top');
    const nl = fc.constantFrom('', '\n');
    const ifBlock = fc
      .tuple(fc.constantFrom('if', 'unless'), names(inner), nl, rest, fc.constantFrom('', '{{else}}', '{{else if audience}}', '\n{{else}}\n'), rest, nl)
      .map(([h, n, a, body, els, other, b]) => `{{#${h} ${n}}}${a}${body}${els ? `${els}${other}` : ''}${b}{{/${h}}}`);
    const eachBlock = inner ? fc.constant('') : fc.tuple(nl, tie('inner'), fc.constantFrom('', '{{else}}none'), nl).map(([a, body, els, b]) => `{{#each notes}}${a}${body}${els}${b}{{/each}}`);
    return fc.array(fc.oneof({ weight: 4, arbitrary: leaf }, { weight: 1, arbitrary: ifBlock }, { weight: 1, arbitrary: eachBlock }), { maxLength: 5 }).map((parts) => parts.join(''));
  };
  return { top: build(false), inner: build(true) };
}).top;

const map = mapFrom(SMALL_MAP);
const decisions: Decisions = { project: 'ecard', actions: ['customer-email'], parties: ['support', 'legal', 'boss'], skipped: [], summary: 'Card sent to <40,000> customers & prospects', details: 'Ask **Jo**.' };

describe('shipped templates without Handlebars', () => {
  it('every shipped template is made of what a program can run (nothing left to Handlebars)', () => {
    const { programs, left } = makeShippedPrograms();
    expect(left).toEqual([]);
    expect(Object.keys(programs).sort()).toEqual(shippedLocales().map((l) => `close.${l}.md`).sort());
  });

  it('renders every shipped template exactly as Handlebars does, for random values', () => {
    const { programs } = makeShippedPrograms();
    const note = fc.record({ party: fc.string({ maxLength: 5 }), name: fc.string({ maxLength: 8 }), text: fc.string({ maxLength: 12 }) });
    const link = fc.record({ title: fc.string({ maxLength: 8 }), url: fc.constantFrom('https://acme.test/a?b=1&c=(2)', 'mailto:jo@acme.test', 'http://x.test/*_*') });
    const str = fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), fc.constantFrom('*bold*', '<b>&</b>', 'Jo: "yes"', 'a\nb', '{{x}}'));
    const base = templateVars(map, decisions, planDeliveries(map, decisions)[0], new Date('2027-01-05T12:00:00Z'));
    const vars = fc.record({
      organization: str, summary: str, details: str, effective: str, effective_short: str, effective_past: fc.boolean(), audience: str, customers_will_see: str, what_to_say: str,
      notes: fc.array(note, { maxLength: 3 }), links: fc.array(link, { maxLength: 3 }), party_names: str, why_actions: str, why_always: fc.boolean(), from_name: str,
      recipient: fc.record({ name: str, email: str }), project: fc.record({ id: str, title: str, owner: str, owner_name: str, owner_email: str }),
    });
    for (const [name, p] of Object.entries(programs)) {
      const source = parseTemplateFile(fs.readFileSync(path.join(SHIPPED_TEMPLATES, name), 'utf8'), name);
      const reference = { subject: Handlebars.compile(source.subject, STRICT), body: Handlebars.compile(source.body, STRICT) };
      fc.assert(
        fc.property(vars, (v) => {
          const all = { ...base, ...v } as TemplateVars;
          // The programs ran to the end (no Handlebars needed) and said what Handlebars says.
          expect(runProgram(p.subject, all)).toBe(reference.subject(all));
          expect(runProgram(p.body, all)).toBe(reference.body(all));
        }),
        { numRuns: 150 },
      );
    }
  });

  it('a message from the shipped programs is the message from Handlebars, HTML and text', () => {
    for (const locale of shippedLocales()) {
      const name = `close.${locale}.md`;
      const source = parseTemplateFile(fs.readFileSync(path.join(SHIPPED_TEMPLATES, name), 'utf8'), name);
      const programs = makeShippedPrograms().programs[name];
      for (const delivery of planDeliveries(map, decisions)) {
        const vars = { ...templateVars(map, decisions, delivery, new Date('2027-01-05T12:00:00Z')), locale };
        expect(render(programTemplate(source, programs), vars)).toEqual(render(compileTemplate(source), vars));
      }
    }
  });

  it('random templates and values: the same text as Handlebars, or the same error', () => {
    fc.assert(
      fc.property(template, context, (t, c) => {
        expect(viaProgram(t, c)).toBe(handlebars(t, c));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves to Handlebars what it cannot tell: a missing name, a function, an inherited property, a list that is not an array', () => {
    const cases: [string, unknown][] = [
      ['{{summary}}', {}],
      ['{{project.owner}}', { project: {} }],
      ['{{project.owner}}', {}],
      ['{{summary}}', { summary: () => 'called' }],
      ['{{#if summary}}y{{/if}}', { summary: () => false }],
      ['{{summary}}', Object.create({ summary: 'inherited' })],
      ['{{#if summary}}y{{else}}n{{/if}}', {}],
      ['{{#each notes}}{{name}}{{/each}}', { notes: { x: { name: 1 } } }],
      ['{{#each notes}}{{name}}{{/each}}', { notes: new Set([{ name: 1 }]) }],
      ['{{#each notes}}{{name}}{{/each}}', { notes: ['s'] }],
      ['{{#each notes}}{{name}}{{/each}}', { notes: [{}] }],
      ['{{#each notes}}{{name}}{{/each}}', { notes: [, { name: 1 }] }], // eslint-disable-line no-sparse-arrays
    ];
    for (const [t, c] of cases) {
      expect(runProgram(programOf(Handlebars.parse(t))!, c), t).toBeUndefined();
      expect(viaProgram(t, c), t).toBe(handlebars(t, c));
    }
    expect(viaProgram('{{summary}}', {})).toMatch(/^error: "summary" not defined in/);
  });

  it('is no program for anything beyond values, #if, #unless and #each: those templates compile with Handlebars', () => {
    for (const t of ['{{#unless a b}}x{{/unless}}', '{{> part}}', '{{this}}', '{{@index}}', '{{../a}}', '{{lookup a b}}', '{{#each a as |x|}}{{x}}{{/each}}', '{{log}}', '{{{a}}}x{{#with a}}{{/with}}', '{{#if a b}}{{/if}}', '{{#if (lookup a b)}}{{/if}}', '{{#if true}}x{{/if}}', '{{[a b]}}', '{{constructor}}', '{{a.length}}x{{#if}}']) {
      let ast: hbs.AST.Program;
      try {
        ast = Handlebars.parse(t);
      } catch {
        continue;
      }
      expect(programOf(ast), t).toBeUndefined();
    }
  });

  it('takes the programs only for the very text they were made from', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-programs-'));
    try {
      const file = path.join(dir, 'shipped-templates.json');
      fs.writeFileSync(file, JSON.stringify(makeShippedPrograms().programs));
      const text = fs.readFileSync(path.join(SHIPPED_TEMPLATES, 'close.en.md'), 'utf8');
      expect(shippedPrograms('close.en.md', text, file)).toBeDefined();
      expect(shippedPrograms('close.en.md', text.replace('Hello', 'Hi'), file)).toBeUndefined();
      expect(shippedPrograms('close.xx.md', text, file)).toBeUndefined();
      expect(shippedPrograms('close.en.md', text, path.join(dir, 'missing.json'))).toBeUndefined();
      fs.writeFileSync(file, '{"close.en.md": ');
      expect(shippedPrograms('close.en.md', text, file)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a custom template is still compiled by Handlebars, with its errors at file:line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-programs-'));
    try {
      fs.writeFileSync(path.join(dir, 'mine.md'), '---\nsubject: "x"\n---\nHello {{nobody}}\n');
      expect(() => new TemplateStore(dir, dir).get('mine.md', 'en')).toThrow(/mine\.md:4:.*unknown variable "nobody"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
