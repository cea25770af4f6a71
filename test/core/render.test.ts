import { describe, expect, it } from 'vitest';
import { compileTemplate, render, TemplateError, type TemplateVars } from '../../src/domain/render.js';
import { parseTemplateFile, TemplateStore } from '../../src/adapters/mail/templates.js';
import { templateVars } from '../../src/domain/vars.js';
import { planDeliveries, type Decisions } from '../../src/domain/deliveries.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';

const map = mapFrom(SMALL_MAP);
const decisions: Decisions = { project: 'ecard', actions: ['customer-email'], parties: ['support', 'legal', 'boss'], skipped: [], summary: 'Card sent to <40,000> customers & prospects', details: 'Ask **Jo**.' };
const marie = planDeliveries(map, decisions).find((d) => d.key === 'marie@acme.test')!;
const vars = (): TemplateVars => templateVars(map, decisions, marie, new Date('2027-01-05T12:00:00Z'));
const compile = (file: string) => compileTemplate(parseTemplateFile(file, 'custom.md'));

function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe('templates: variables, errors with file:line, escaping', () => {
  it('renders subject, text and HTML from the variables of one delivery', () => {
    const t = compile('---\nsubject: "[{{organization}}] {{project.title}} for {{party_names}}"\n---\nHello {{recipient.name}},\n\n{{summary}}\n\n{{details}}\n\nOwner: {{project.owner}}, {{date}}\n');
    const r = render(t, vars());
    expect(r.subject).toBe('[Acme] New Year e-card for Customer support');
    expect(r.text).toContain('Hello Marie,');
    expect(r.text).toContain('Card sent to <40,000> customers & prospects');
    expect(r.text).toContain('Owner: Jo <jo@acme.test>, 5 January 2027');
    expect(r.html).toContain('<strong>Jo</strong>');
  });

  it('escapes values in the HTML part (but not in the text part) and shows raw HTML of a template as text', () => {
    const t = compile('---\nsubject: "{{summary}}"\n---\n{{summary}}\n\n<script>alert(1)</script>\n');
    const r = render(t, { ...vars(), summary: 'a <b onmouseover="x">bold</b> & "quoted"' });
    expect(r.html).not.toContain('<b onmouseover');
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('a &lt;b onmouseover=&quot;x&quot;&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    expect(r.html).toContain('&lt;script&gt;');
    expect(r.html).toMatch(/<title>a &lt;b onmouseover(=|&#x3D;)&quot;x&quot;&gt;bold&lt;\/b&gt; &amp; &quot;quoted&quot;<\/title>/);
    expect(r.text).toContain('a <b onmouseover="x">bold</b> & "quoted"');
  });

  it('only http:, https: and mailto: links are live in the HTML part; any other is its text', () => {
    const t = compile('---\nsubject: "Done"\n---\n{{summary}}\n\n{{details}}\n\n[the form](https://acme.test/form?a=1&b=2) or [write](mailto:jo@acme.test)\n\n[bad](javascript:alert(3))\n');
    const hostile = [
      '[click](javascript:alert(1))',
      '[c](JaVaScRiPt:alert(1))',
      '[c](&#106;avascript:alert(1))',
      '[c](java&#x09;script:alert(1))',
      '<javascript:alert(1)>',
      '![x](javascript:alert(1))',
      '[d](data:text/html;base64,PHNjcmlwdD4=)',
      '[v](vbscript:msgbox(1))',
      '[r][ref]\n\n[ref]: javascript:alert(2)',
      '[rel](/etc/passwd)',
    ];
    for (const bad of hostile) {
      const r = render(t, { ...vars(), summary: 'Done', details: `See ${bad} for more.` });
      const targets = [...r.html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
      expect(targets, bad).toEqual(['https://acme.test/form?a=1&amp;b=2', 'mailto:jo@acme.test']);
      expect(r.html, bad).not.toMatch(/<a[^>]*>(click|c|d|v|r|rel|bad)<\/a>/);
    }
    const summary = render(t, { ...vars(), summary: '[x](javascript:alert(1)) and https://acme.test/news' });
    // A value is text, not Markdown: its brackets are shown as written, never made a link.
    expect(summary.html).toContain('<p>[x](javascript:alert(1)) and <a href="https://acme.test/news">https://acme.test/news</a></p>');
    expect(summary.html).toContain('<p>bad</p>');
  });

  it('an unknown variable in the body is an error at its file:line:col', () => {
    const e = templateError(() => compile('---\nsubject: "Done"\n---\nHello,\n\nsee {{projet.title}}\n'));
    expect([e.file, e.line, e.col]).toEqual(['custom.md', 6, 7]);
    expect(e.message).toMatch(/unknown variable "projet.title"/);
  });

  it('an unknown variable in the subject is an error on the subject line', () => {
    const e = templateError(() => compile('---\n# a comment\nsubject: "Done {{titel}}"\n---\nbody\n'));
    expect([e.file, e.line]).toEqual(['custom.md', 3]);
    expect(e.message).toMatch(/unknown variable "titel"/);
  });

  it('an unknown field of a known variable is an error when rendering, never an empty string', () => {
    const t = compile('---\nsubject: "Done"\n---\nline one\n{{project.nope}}\n');
    const e = templateError(() => render(t, vars()));
    expect(e.file).toBe('custom.md');
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/nope/);
  });

  it('variables inside #each refer to the item; unknown ones outside are still caught', () => {
    const t = compile('---\nsubject: "Done"\n---\n{{#each actions}}- {{description}}\n{{/each}}\n');
    expect(render(t, vars()).text).toContain('- E-mail sent to customers');
    expect(() => compile('---\nsubject: "Done"\n---\n{{#each actions}}{{description}}{{/each}}{{description}}\n')).toThrow(/unknown variable "description"/);
  });

  it('partials, broken syntax and a subject that renders a line break are refused', () => {
    expect(templateError(() => compile('---\nsubject: "x"\n---\n{{> other}}\n')).message).toMatch(/partials/);
    expect(templateError(() => compile('---\nsubject: "x"\n---\nok\n{{#if summary}}\n')).message).toMatch(/syntax/);
    const t = compile('---\nsubject: "x {{summary}}"\n---\nbody\n');
    expect(templateError(() => render(t, { ...vars(), summary: 'a\r\nBcc: x@y.z' })).message).toMatch(/line break/);
  });

  it('front matter must exist and hold only a subject', () => {
    expect(templateError(() => parseTemplateFile('no front matter', 'x.md')).message).toMatch(/front matter/);
    expect(templateError(() => parseTemplateFile('---\nsubject: a\nfrom: b\n---\n', 'x.md')).message).toMatch(/unknown front matter key "from"/);
  });
});

describe('runtime errors point at the part that failed', () => {
  it('an unknown field in the subject is reported on the subject line', () => {
    const t = compile('---\n# comment\n# another\nsubject: "Done: {{project.nope}}"\n---\nbody line\n');
    const e = templateError(() => render(t, vars()));
    expect([e.file, e.line]).toEqual(['custom.md', 4]);
    expect(e.message).toMatch(/nope/);
  });
});

describe('the shipped templates', () => {
  const store = new TemplateStore('/nowhere', '/nowhere');
  const promo: Decisions = { project: 'promo', actions: ['pricing'], parties: ['support', 'sales', 'boss'], skipped: [], summary: 'Prices <down> 20%' };
  const plan = planDeliveries(map, promo);

  it.each(['en', 'fr'])('%s renders for one party and for several, with and without owner and details', (locale) => {
    const t = store.get(undefined, locale);
    for (const d of [promo, { ...decisions, details: undefined }]) {
      for (const delivery of planDeliveries(map, d)) {
        const r = render(t, templateVars(map, d, delivery, new Date('2027-01-05T12:00:00Z')));
        expect(r.subject).not.toMatch(/[\r\n]/);
        expect(r.subject).toContain(d.summary);
        expect(r.subject).not.toMatch(/Done|terminé/);
        expect(r.text).toContain(d.summary);
        for (const p of delivery.parties) expect(r.text).toContain(map.parties.get(p)!.name);
        expect(r.html).not.toContain('<down>');
      }
    }
    const marie = render(t, templateVars(map, promo, plan[0], new Date('2027-01-05T12:00:00Z')));
    expect(marie.html).toContain('Prices &lt;down&gt; 20%');
  });
});
