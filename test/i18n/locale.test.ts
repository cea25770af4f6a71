import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { ROOT, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';
import { parseTemplateFile, shippedLocales } from '../../src/adapters/mail/templates.js';
import { compileTemplate, TEMPLATE_VARIABLES } from '../../src/domain/render.js';

const MAP = `version: 1
organization: Mutuelle Exemple
from: "Projets <projets@mutuelle-exemple.fr>"
locale: en
actions:
  customer-email: { description: "E-mail sent to customers" }
parties:
  conseillers:
    name: Conseillers clientèle
    contacts: ["Marie <marie@mutuelle-exemple.fr>", "Both <both@mutuelle-exemple.fr>"]
    affected_by: [customer-email]
    locale: fr
  stores:
    name: Stores
    contacts: ["Sam <sam@mutuelle-exemple.fr>", "both@mutuelle-exemple.fr"]
    affected_by: [customer-email]
projects:
  voeux-2027:
    title: "Carte de vœux 2027"
    owner: "Jean-François <jf@mutuelle-exemple.fr>"
    actions: [customer-email]
`;

/** The text/plain part of a received message, decoded. */
function textPart(raw: string): string {
  const m = /Content-Type: text\/plain[^\r\n]*\r\n(?:[^\r\n]+\r\n)*?Content-Transfer-Encoding: ([\w-]+)\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/i.exec(raw);
  if (!m) throw new Error(`no text part in:\n${raw}`);
  const [, encoding, encoded] = m;
  const body = encoded;
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8').replace(/\r\n/g, '\n');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
  }
  return body.replace(/\r\n/g, '\n');
}

const FR_MONTHS = 'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre';
const EN_MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';

const tempDir = scratchDirs();

describe("a party's locale picks the language of its messages", () => {
  let smtp: TestSmtp;
  beforeEach(async () => (smtp = await startSmtp()));
  afterEach(() => smtp.close());

  it('in one close, the fr party gets French and the en party English, over a real SMTP server', async () => {
    const dir = tempDir();
    writeMap(dir, MAP);
    const now = () => new Date('2026-12-20T10:00:00Z');
    const r = await runNotify(['close', 'voeux-2027', '--summary', 'E-card sent to 40,000 customers', '--effective', '2027-01-04', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url }, now });
    expect(r.code, r.stderr).toBe(0);
    const to = (address: string) => {
      expect(smtp.countFor(address)).toBe(1);
      return smtp.received.find((m) => m.to.includes(address))!;
    };
    const NNBSP = '\u202f';

    const marie = to('marie@mutuelle-exemple.fr');
    expect(marie.subject).toBe(`[Mutuelle Exemple] Dès le 4 janvier${NNBSP}: e-card sent to 40,000 customers`);
    const fr = textPart(marie.raw);
    expect(fr).toMatch(/^Bonjour Marie,\n\nE-card sent to 40,000 customers\nÀ partir du lundi 4 janvier\.\n/);
    expect(fr).toContain(`Une question${NNBSP}? Répondez à ce message${NNBSP}: il parviendra à Jean-François.`);
    expect(fr).toContain(`en tant que membre de l’équipe Conseillers clientèle, concernée par ce type de projet${NNBSP}: e-mail sent to customers.`);
    expect(fr).not.toMatch(/Hello|Questions\?|[^\u202f][:;?!](\s|$)/);
    expect(fr).not.toMatch(new RegExp(`\\b(${EN_MONTHS})\\b`));

    const sam = to('sam@mutuelle-exemple.fr');
    expect(sam.subject).toBe('[Mutuelle Exemple] From 4 Jan: E-card sent to 40,000 customers');
    const en = textPart(sam.raw);
    expect(en).toMatch(/^Hello Sam,\n\nE-card sent to 40,000 customers\nFrom Monday 4 January\.\n/);
    expect(en).toContain('Questions? Reply to this message: it goes to Jean-François.');
    expect(en).toContain('You receive this as a member of Stores, who hear of every project of this kind: e-mail sent to customers.');
    expect(en).not.toMatch(/Bonjour|\u202f/);
    expect(en).not.toMatch(new RegExp(`\\b(${FR_MONTHS})\\b`));

    // One person in both parties: one message, in the language of the first of their parties in the map, naming both, joined with "et".
    const both = to('both@mutuelle-exemple.fr');
    expect(both.subject).toBe(marie.subject);
    expect(textPart(both.raw)).toContain(`en tant que membre des équipes Conseillers clientèle et Stores, concernées par ce type de projet${NNBSP}: e-mail sent to customers.`);
    expect(smtp.received).toHaveLength(3);
  });

  it('en-US and en-GB write the same date their own way; plain en is British', async () => {
    const dir = tempDir();
    writeMap(dir, MAP.replace('    locale: fr\n', '    locale: en-US\n'));
    const now = () => new Date('2026-12-20T10:00:00Z');
    const r = await runNotify(['close', 'voeux-2027', '--summary', 'E-card sent', '--effective', '2027-01-04 09:30', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url }, now });
    expect(r.code, r.stderr).toBe(0);
    const us = smtp.received.find((m) => m.to.includes('marie@mutuelle-exemple.fr'))!;
    const gb = smtp.received.find((m) => m.to.includes('sam@mutuelle-exemple.fr'))!;
    expect(us.subject).toBe('[Mutuelle Exemple] From Jan 4: E-card sent');
    expect(textPart(us.raw)).toMatch(/^From Monday, January 4 at 9:30\s?AM\.$/m);
    expect(gb.subject).toBe('[Mutuelle Exemple] From 4 Jan: E-card sent');
    expect(textPart(gb.raw)).toMatch(/^From Monday 4 January at 9:30\.$/m);
  });

  it('a locale with no shipped template stops the close before anything is sent, naming the languages there are', async () => {
    const dir = tempDir();
    writeMap(dir, MAP.replace('locale: fr', 'locale: de'));
    const r = await runNotify(['close', 'voeux-2027', '--summary', 'E-card sent', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('template not found for locale "de"');
    expect(r.stderr).toMatch(/shipped languages: .*en.*fr/);
    expect(smtp.received).toEqual([]);
  });
});

describe('the shipped templates', () => {
  const read = (locale: string) => fs.readFileSync(path.join(ROOT, 'templates', `close.${locale}.md`), 'utf8');
  const variables = (text: string) => [...text.matchAll(/\{\{(?!\/|else)(?:#(?:if|each|unless) )?([a-z_][\w.[\]]*)/g)].map((m) => m[1]).sort();

  it('ship en and fr, each compiling in strict mode', () => {
    expect(shippedLocales().sort()).toEqual(expect.arrayContaining(['en', 'fr']));
    for (const l of shippedLocales()) expect(() => compileTemplate(parseTemplateFile(read(l), `close.${l}.md`))).not.toThrow();
  });

  it('say the same things in every language: the same variables, the same sections in the same order', () => {
    const en = read('en');
    expect(variables(en)).toEqual(expect.arrayContaining(['summary', 'effective', 'audience', 'customers_will_see', 'what_to_say', 'notes', 'links', 'details', 'project.owner', 'party_names', 'why_actions', 'from_name']));
    // The sections: each block a field opens, in order; words that only serve a language's grammar aside.
    const GRAMMAR = new Set(['several_parties', 'effective_past']);
    const sections = (text: string) => [...text.matchAll(/\{\{#(?:if|each|unless) ([\w.]+)\}\}|\{\{else if ([\w.]+)\}\}/g)].map((m) => m[1] ?? m[2]).filter((v) => !GRAMMAR.has(v));
    const labels = (text: string) => text.match(/\*\*[^*]+\*\*/g)?.length;
    for (const l of shippedLocales().filter((x) => x !== 'en')) {
      const other = read(l);
      expect(sections(other), l).toEqual(sections(en));
      expect(labels(other), l).toBe(labels(en));
      expect(other.match(/^> /gm)?.length, l).toBe(en.match(/^> /gm)?.length);
      expect(other.match(/^- /gm)?.length, l).toBe(en.match(/^- /gm)?.length);
      expect(variables(other).filter((v) => !GRAMMAR.has(v) && v !== 'summary_lowercase'), l).toEqual(variables(en).filter((v) => !GRAMMAR.has(v)));
    }
    // Inside {{#each notes}} and {{#each links}}, the fields of each item.
    const ITEM = new Set(['name', 'text', 'title', 'url']);
    for (const v of variables(en).filter((x) => !ITEM.has(x))) expect(TEMPLATE_VARIABLES as readonly string[]).toContain(v.split(/[.[]/)[0]);
  });
});
