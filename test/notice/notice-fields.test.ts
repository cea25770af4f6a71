/**
 * The notice fields where they are written: the map (file:line errors, did-you-mean for a
 * note's party), a plan (written, read back, held to the map), the close.planned event (old logs
 * stay valid), the editor's skeleton, and validate's warnings.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseMap } from '../../src/config/parse-map.js';
import { eventProblem } from '../../src/domain/event-shape.js';
import { parseEffective, parseLink } from '../../src/domain/notice.js';
import { noticeSkeleton, parseNoticeText } from '../../src/domain/notice-skeleton.js';
import { effectiveVars } from '../../src/domain/notice-dates.js';
import { parsePlan } from '../../src/app/plan-files/read.js';
import { renderPlan } from '../../src/app/plan-files/write.js';
import type { Decisions } from '../../src/domain/deliveries.js';
import { formatDiagnostic } from '../../src/errors.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';
import { runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();
const problems = (yaml: string) => parseMap(yaml, '/maps/notify.yaml', 'notify.yaml').diagnostics.map(formatDiagnostic);
const withProject = (lines: string) => SMALL_MAP.replace('  promo:\n    title: "Summer prices"\n', `  promo:\n    title: "Summer prices"\n${lines}`);

describe('the notice fields in the map', () => {
  it('are read into the project, dates as written, notes by party, links in order', () => {
    const map = mapFrom(
      withProject('    effective: 2027-07-01\n    audience: "every customer"\n    customers_will_see: "red labels"\n    what_to_say: "Yes, until 31 July"\n    notes:\n      support: "Expect calls"\n    links:\n      - { title: Offer, url: "https://acme.test/offer" }\n    details: "More **here**"\n'),
    );
    const p = map.projects.get('promo')!;
    expect(p.notice).toEqual({ effective: '2027-07-01', audience: 'every customer', customersWillSee: 'red labels', whatToSay: 'Yes, until 31 July', notes: { support: 'Expect calls' }, links: [{ title: 'Offer', url: 'https://acme.test/offer' }] });
    expect(p.details).toBe('More **here**');
    expect(mapFrom(SMALL_MAP.replace('locale: en\n', 'locale: en\ntimezone: Europe/Paris\n')).timezone).toBe('Europe/Paris');
  });

  it.each([
    ['a note for an unknown party', '    notes:\n      suport: "x"\n', 'notify.yaml:33:7: project "promo" has a note for unknown party "suport" (did you mean "support"?)'],
    ['an effective date that is not a date', '    effective: "next week"\n', 'notify.yaml:32:16: project "promo" effective: "next week" is not a date such as 2027-01-02, or a date and time such as "2027-01-02 09:00"'],
    ['a day not in the calendar', '    effective: 2027-02-30\n', 'notify.yaml:32:16: project "promo" effective: "2027-02-30" is not a day of the calendar'],
    ['a link that is not a web address', '    links:\n      - { title: FAQ, url: "javascript:alert(1)" }\n', 'notify.yaml:33:28: project "promo" links url "javascript:alert(1)" must start with https://, http:// or mailto:'],
    ['a link without its url', '    links:\n      - { title: FAQ }\n', 'notify.yaml:33:9: each entry of project "promo" links needs both title: and url:'],
    ['a misspelt field', '    what_to_sya: "x"\n', 'notify.yaml:32:5: unknown key "what_to_sya" in project "promo" (did you mean "what_to_say"?)'],
  ])('%s is an error at its line', (_what, lines, message) => {
    expect(problems(withProject(lines))).toContain(message);
  });

  it('an unknown time zone is an error at its line', () => {
    expect(problems(SMALL_MAP.replace('locale: en\n', 'locale: en\ntimezone: Paris/Europe\n'))).toContain('notify.yaml:5:11: timezone "Paris/Europe" is not a time zone name such as "Europe/Paris" or "UTC"');
  });
});

describe('a plan holds the notice fields', () => {
  const map = mapFrom(SMALL_MAP);
  const d: Decisions = {
    project: 'promo',
    actions: ['pricing'],
    parties: ['support', 'sales', 'boss'],
    skipped: [],
    summary: 'New prices',
    effective: '2027-07-01 08:00',
    audience: 'every customer',
    customersWillSee: 'red labels;\nand a mailing',
    whatToSay: 'Yes: until 31 July',
    notes: { support: 'Expect calls', sales: 'Two lines\nof note' },
    links: [{ title: 'Offer: the page', url: 'https://acme.test/offer?a=1&b=2' }],
    details: 'More **here**',
  };

  it('written and read back the same', () => {
    const text = renderPlan(d);
    expect(text).toContain('effective: 2027-07-01 08:00\n');
    const { plan, diagnostics } = parsePlan(text, '/maps/.notify/plans/promo.md', 'promo.md', map, 'promo');
    expect(diagnostics).toEqual([]);
    const { timezone, ...read } = plan!.decisions;
    expect(timezone).toBeTruthy();
    expect(read).toEqual(d);
  });

  it('a note for a party the plan does not tell, or an unknown one, is an error at its line', () => {
    const text = renderPlan({ ...d, notes: { legal: 'x', suport: 'y' } });
    const { diagnostics } = parsePlan(text, '/maps/.notify/plans/promo.md', 'promo.md', map, 'promo');
    const lines = text.split('\n');
    expect(diagnostics.map((x) => [x.line, x.message])).toEqual([
      [lines.indexOf('  legal: x') + 1, 'a note for "legal", which the plan does not tell: add it under parties, or remove the note'],
      [lines.indexOf('  suport: y') + 1, 'a note for unknown party "suport" (did you mean "support"?)'],
    ]);
  });
});

describe('the close.planned event', () => {
  const base = { id: 'e1', ts: '2027-01-04T09:00:00.000Z', project: 'p', event: 'close.planned', actions: [], parties: ['a'], skipped: [], summary: 's' };
  it('without the notice fields (a log written before them) is valid, and with them too', () => {
    expect(eventProblem(base)).toBeUndefined();
    expect(eventProblem({ ...base, effective: '2027-01-04', timezone: 'UTC', audience: 'x', customers_will_see: 'y', what_to_say: 'z', notes: { a: 'n' }, links: [{ title: 't', url: 'https://x.test' }] })).toBeUndefined();
  });
  it('with a field of the wrong shape is refused, saying which', () => {
    expect(eventProblem({ ...base, notes: { a: 1 } })).toBe('close.planned: "notes" is not a mapping of party ids to text');
    expect(eventProblem({ ...base, links: [{ title: 't' }] })).toBe('close.planned: "links" is not a list of { title, url }');
  });
});

describe('values as flags and the editor write them', () => {
  it('dates: a day, or a day and a time; nothing else', () => {
    expect(parseEffective('2027-01-04')).toEqual({ value: '2027-01-04' });
    expect(parseEffective('2027-01-04T09:05')).toEqual({ value: '2027-01-04 09:05' });
    expect(parseEffective('2027-01-04 24:00')).toHaveProperty('problem');
    expect(parseEffective('4/1/2027')).toHaveProperty('problem');
  });

  it('links: "Title=url", "- Title: url" and [Title](url); only http, https and mailto', () => {
    expect(parseLink('FAQ=https://x.test/faq?a=b')).toEqual({ title: 'FAQ', url: 'https://x.test/faq?a=b' });
    expect(parseLink('- The FAQ: https://x.test/faq')).toEqual({ title: 'The FAQ', url: 'https://x.test/faq' });
    expect(parseLink('[Write to us](mailto:help@x.test)')).toEqual({ title: 'Write to us', url: 'mailto:help@x.test' });
    expect(parseLink('A=B=https://x.test')).toEqual({ title: 'A=B', url: 'https://x.test' });
    expect(parseLink('FAQ=ftp://x.test')).toHaveProperty('problem');
    expect(parseLink('https://x.test')).toHaveProperty('problem');
  });

  it('the tense follows the sending time, in the time zone of the map', () => {
    const at = (iso: string) => effectiveVars('2027-01-04 09:00', 'Europe/Paris', new Date(iso), 'fr');
    expect(at('2027-01-04T07:59:00Z').effective_past).toBe(false);
    expect(at('2027-01-04T08:00:00Z').effective_past).toBe(true);
    expect(at('2027-01-04T08:00:00Z').effective).toBe('lundi 4 janvier à 9\u00a0h');
    expect(effectiveVars('2027-01-01', undefined, new Date('2026-12-20T00:00:00Z'), 'fr').effective).toBe('vendredi 1er janvier');
    // A day alone: that day still reads "from"; the next, "since".
    expect(effectiveVars('2027-01-04', 'UTC', new Date('2027-01-04T18:00:00Z'), 'en').effective_past).toBe(false);
    expect(effectiveVars('2027-01-04', 'UTC', new Date('2027-01-05T08:00:00Z'), 'en').effective_past).toBe(true);
    // Far from the sending date, the year is written.
    // The comma after the weekday is ICU's: Node 20.17's ICU 74 writes none, later ones do.
    expect(effectiveVars('2028-01-04', 'UTC', new Date('2027-01-05T08:00:00Z'), 'en').effective).toMatch(/^Tuesday,? 4 January 2028$/);
  });
});

describe('the editor skeleton', () => {
  const parties = [
    { id: 'support', name: 'Customer support' },
    { id: 'sales', name: 'Sales' },
  ];

  it('has one heading per field in the user\'s language, a hint under each, and the values already known', () => {
    const fr = noticeSkeleton('fr', parties, { whatToSay: 'Oui, merci', notes: { sales: 'Rien' } });
    expect(fr.match(/^## .*$/gm)).toEqual(['## Qui est concerné', '## Ce que verront les clients', '## Que leur répondre', '## Pour Customer support (support)', '## Pour Sales (sales)', '## Liens', '## Détails']);
    expect(fr.split('\n').filter((l, i, all) => all[i - 1]?.startsWith('## ')).every((l) => /^<!-- .+ -->$/.test(l))).toBe(true);
    expect(fr).toContain('## Que leur répondre\n<!-- La réponse qu’un conseiller peut lire telle quelle à un client. -->\nOui, merci\n');
    expect(noticeSkeleton('en', parties)).toContain('## What customers will see\n<!-- What they will see, receive or ask about. -->\n');
  });

  it('what comes back is split into the fields: hints stripped, empty sections dropped, own headings kept in the details', () => {
    const text = noticeSkeleton('en', parties)
      .replace('## What to say\n<!-- The answer an adviser can read out to a customer, as it should be said. -->\n', '## What to say\n<!-- The answer an adviser can read out to a customer, as it should be said. -->\nYes, it is ours.\n')
      .replace('## For Sales (sales)\n<!-- What it means for this team, and what it should do. -->\n', '## For Sales (sales)\n<!-- x -->\nCall your key accounts.\n')
      .replace('## Links\n<!-- One per line: - Title: https://... -->\n', '## Links\n- FAQ: https://x.test/faq\n[Offer](https://x.test/offer)\n')
      .concat('\n## Timeline\n\n- 1 July: labels\n');
    const { answers, problems } = parseNoticeText(text, parties);
    expect(problems).toEqual([]);
    expect(answers).toEqual({ whatToSay: 'Yes, it is ours.', notes: { sales: 'Call your key accounts.' }, links: [{ title: 'FAQ', url: 'https://x.test/faq' }, { title: 'Offer', url: 'https://x.test/offer' }], details: '## Timeline\n\n- 1 July: labels' });
    expect(parseNoticeText(noticeSkeleton('fr', parties), parties)).toEqual({ answers: {}, problems: [] });
  });

  it('a note under a party that is not told, or a bad link, is a problem to fix, not lost text', () => {
    const { problems } = parseNoticeText('## For Legal (legl)\nx\n## Links\nFAQ without address\n', parties);
    expect(problems).toEqual(['"## For Legal (legl)": no party "legl" is told in this close', 'links: "FAQ without address" has no address: write "Title=https://..."']);
  });
});

describe('notify validate', () => {
  it('warns of a project without an owner and of a summary longer than 70 characters, at their lines', async () => {
    const dir = tempDir();
    writeMap(dir, SMALL_MAP.replace('    actions: [pricing]\n', `    actions: [pricing]\n    summary: "${'x'.repeat(71)}"\n`));
    const r = await runNotify(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('notify.yaml:30:3: warning: project "promo" has no owner: its messages cannot say whom to ask; add owner: "Name <name@domain>" (replies then reach them)');
    expect(r.stdout).toContain('notify.yaml:33:14: warning: project "promo" summary is 71 characters: over 70, an inbox cuts the subject before the end; say the fact in fewer words and put the rest in details');
    expect(fs.existsSync(path.join(dir, '.notify', 'log.jsonl'))).toBe(false);
  });
});

describe('values are text, not Markdown', () => {
  it('a value shows as written in both parts: no quotation, heading, list, emphasis or link made of it', async () => {
    const { compileTemplate, render } = await import('../../src/domain/render.js');
    const { parseTemplateFile } = await import('../../src/adapters/mail/templates.js');
    const { templateVars } = await import('../../src/domain/vars.js');
    const { planDeliveries } = await import('../../src/domain/deliveries.js');
    const map = mapFrom(SMALL_MAP);
    const d: Decisions = { project: 'promo', actions: ['pricing'], parties: ['support'], skipped: [], summary: 's' };
    const t = compileTemplate(parseTemplateFile('---\nsubject: "x"\n---\n{{what_to_say}}\n', 'custom.md'));
    const value = '> not a quote & <b>x</b> `code` *a* _b_ [l](u)\n# not a heading\n12. not a list\n-20% off';
    const r = render(t, { ...templateVars(map, d, planDeliveries(map, d)[0], new Date()), what_to_say: value });
    expect(r.text).toBe(`${value}\n`);
    expect(r.html).toContain('<p>&gt; not a quote &amp; &lt;b&gt;x&lt;/b&gt; `code` *a* _b_ [l](u)<br># not a heading<br>12. not a list<br>-20% off</p>');
  });
});
