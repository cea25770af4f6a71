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
  const [, encoding, body] = m;
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
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
    const r = await runNotify(['close', 'voeux-2027', '--summary', 'E-card sent to 40,000 customers', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.code, r.stderr).toBe(0);
    const to = (address: string) => {
      expect(smtp.countFor(address)).toBe(1);
      return smtp.received.find((m) => m.to.includes(address))!;
    };

    const marie = to('marie@mutuelle-exemple.fr');
    expect(marie.subject).toBe('[Mutuelle Exemple] Projet terminé : Carte de vœux 2027 — ce qui change pour Conseillers clientèle');
    const fr = textPart(marie.raw);
    expect(fr).toMatch(/^Bonjour Marie,/);
    expect(fr).toContain('**En bref :** E-card sent to 40,000 customers');
    expect(fr).toMatch(new RegExp(`terminé le \\d{1,2} (${FR_MONTHS}) \\d{4}`));
    expect(fr).toContain('**Une question ?** Jean-François <jf@mutuelle-exemple.fr> (répondez simplement à ce message)');
    expect(fr).not.toMatch(/Hello|In short/);

    const sam = to('sam@mutuelle-exemple.fr');
    expect(sam.subject).toBe('[Mutuelle Exemple] Done: Carte de vœux 2027 — what it means for Stores');
    const en = textPart(sam.raw);
    expect(en).toMatch(/^Hello Sam,/);
    expect(en).toContain('**In short:** E-card sent to 40,000 customers');
    expect(en).toMatch(new RegExp(`finished on (${EN_MONTHS}) \\d{1,2}, \\d{4}`));
    expect(en).not.toMatch(/Bonjour|En bref/);

    // One person in both parties: one message, in the language of the first of their parties in the map.
    const both = to('both@mutuelle-exemple.fr');
    expect(both.subject).toBe('[Mutuelle Exemple] Projet terminé : Carte de vœux 2027 — ce qui change pour Conseillers clientèle, Stores');
    expect(smtp.received).toHaveLength(3);
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

  it('say the same things in every language: the same variables, the same sections', () => {
    const en = read('en');
    expect(variables(en)).toEqual(expect.arrayContaining(['summary', 'date', 'project.title', 'project.owner', 'details', 'party_names']));
    for (const l of shippedLocales().filter((x) => x !== 'en')) {
      const other = read(l);
      expect(variables(other), l).toEqual(variables(en));
      expect(other.match(/^## /gm)?.length, l).toBe(en.match(/^## /gm)?.length);
      expect(other.match(/^- /gm)?.length, l).toBe(en.match(/^- /gm)?.length);
    }
    for (const v of variables(en)) expect(TEMPLATE_VARIABLES as readonly string[]).toContain(v.split(/[.[]/)[0]);
  });
});
