import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileTemplate, render, type TemplateVars } from '../../src/domain/render.js';
import { sharedRenderer } from '../../src/domain/render-cache.js';
import { parseTemplateFile, SHIPPED_TEMPLATES } from '../../src/adapters/mail/templates.js';
import { templateVars } from '../../src/domain/vars.js';
import { planDeliveries, type Decisions } from '../../src/domain/deliveries.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';
import fs from 'node:fs';
import path from 'node:path';

const map = mapFrom(SMALL_MAP);
const decisions: Decisions = { project: 'ecard', actions: ['customer-email'], parties: ['support', 'legal', 'boss'], skipped: [], summary: 'Card sent to customers', details: 'Ask **Jo**.' };
const marie = planDeliveries(map, decisions).find((d) => d.key === 'marie@acme.test')!;
const base = templateVars(map, decisions, marie, new Date('2027-01-05T12:00:00Z'));
const withRecipient = (name: string, email = 'someone@acme.test'): TemplateVars => ({ ...base, recipient: { name, email } });
const compile = (file: string) => compileTemplate(parseTemplateFile(file, 'custom.md'));

/** Where a name can stand in a template: plain words, markup around it, and places where Markdown reads it as part of something else. */
const CONTEXTS = [
  'Hello {{recipient.name}},',
  '**{{recipient.name}}**',
  '_{{recipient.name}}_ and *{{recipient.name}}*',
  'x_{{recipient.name}}_y',
  '# {{recipient.name}}',
  '{{recipient.name}}',
  '{{recipient.name}}. Next',
  '{{recipient.name}}) item',
  '{{recipient.name}}@example.com',
  'www.{{recipient.name}}.com',
  'https://example.com/{{recipient.name}}',
  '[link](https://example.com/{{recipient.name}})',
  '[{{recipient.name}}](https://example.com "{{recipient.name}}")',
  '`{{recipient.name}}`',
  '{{#if recipient.name}}Dear {{recipient.name}}{{else}}Hello{{/if}}',
  '{{#with recipient}}{{name}}{{/with}}',
  'Mail: {{recipient.email}}',
  '{{recipient.name}}\n===',
  '- {{recipient.name}}\n- two',
  '> {{recipient.name}}',
  'a{{recipient.name}}b',
  '{{recipient.name}}:x',
  '{{summary}} for {{recipient.name}}',
];
const NAMES = ['Marie', 'Manager 0', 'José Müller', 'Ünal 12', 'Jo', '', 'www', 'Dr. No', 'A_B', 'a*b', 'O\'Brien', '1 Two', 'x  y', 'Anne-Sophie', 'Ōno', '李 雷', 'name@host', 'https', 'Zqxnotifyrecipientnamexqz'];

describe('rendering once per distinct message', () => {
  it('gives every recipient exactly what rendering for that recipient alone gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...CONTEXTS), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('Note for {{recipient.name}}', '{{project.title}}', '{{recipient.name}}: {{project.title}}'),
        fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 6 }),
        (lines, subject, names) => {
          const t = compile(`---\nsubject: "${subject}"\n---\n${lines.join('\n\n')}\n`);
          const shared = sharedRenderer();
          for (const [i, name] of names.entries()) {
            const vars = withRecipient(name, `r${i}@acme.test`);
            expect(shared(t, vars)).toEqual(render(t, vars));
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('renders the shipped templates once per party, not once per recipient', () => {
    for (const file of fs.readdirSync(SHIPPED_TEMPLATES).filter((f) => f.endsWith('.md'))) {
      const t = compileTemplate(parseTemplateFile(fs.readFileSync(path.join(SHIPPED_TEMPLATES, file), 'utf8'), file));
      let calls = 0;
      const shared = sharedRenderer((tt, v) => (calls++, render(tt, v)));
      for (let i = 0; i < 10; i++) {
        const vars = withRecipient(`Manager ${i}`, `m${i}@acme.test`);
        expect(shared(t, vars), file).toEqual(render(t, vars));
      }
      expect(calls, file).toBe(1);
    }
  });
});
