/**
 * What recipients receive, over a real SMTP server on loopback: each party's own note (and a
 * person in two parties gets both), the subject, French typography, lists joined by the
 * language, a text part with no Markdown left, `lang` and styled tables in the HTML part; and
 * --test-to / --send-to, which send each distinct message to one address and record nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { smtpError, startSmtp, type FaultHooks, type TestSmtp } from '../helpers/smtp.js';
import { readLogEvents, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';
import { htmlPart, MARKDOWN_MARKERS, textPart } from './mime.js';

const NNBSP = '\u202f';

const MAP = `version: 1
organization: Mutuelle Exemple
from: "Projets Mutuelle <projets@mutuelle.test>"
locale: fr
timezone: Europe/Paris
actions:
  customer-email: { description: "E-mail envoyé aux clients" }
parties:
  conseillers:
    name: Conseillers clientèle
    contacts: ["Marie <marie@mutuelle.test>", "Both <both@mutuelle.test>"]
    affected_by: [customer-email]
  stores:
    name: Stores
    contacts: ["Sam <sam@mutuelle.test>", "both@mutuelle.test"]
    affected_by: [customer-email]
    locale: en
  direction:
    name: Direction
    contacts: ["Dg <dg@mutuelle.test>"]
    always: true
projects:
  voeux-2027:
    title: "Carte de vœux 2027"
    owner: "Jean-François <jf@mutuelle.test>"
    actions: [customer-email]
    summary: "Carte de vœux envoyée à 40 000 clients"
    effective: 2027-01-04
    audience: "les 40 000 clients ayant une adresse e-mail"
    customers_will_see: "un e-mail « Bonne année » ; certains appelleront !"
    what_to_say: "Oui, c'est bien notre carte. Merci de votre appel !"
    notes:
      conseillers: "Note des conseillers: rien à noter dans la fiche."
      stores: "Stores note: nothing to put up."
    links:
      - title: La carte
        url: https://mutuelle.test/voeux?from=mail&id=2027
`;

const DETAILS = '| Canal | Volume |\n| --- | --- |\n| E-mail | 40 000 |\n\nVoir **le planning**.\n';
const BEFORE = () => new Date('2026-12-20T10:00:00Z');

const tempDir = scratchDirs();

describe('the notice as received', () => {
  let smtp: TestSmtp;
  let dir: string;
  const hooks: FaultHooks = {};
  beforeEach(async () => {
    smtp = await startSmtp({ onRcpt: (a, s) => hooks.onRcpt?.(a, s) });
    dir = tempDir();
    writeMap(dir, MAP);
    fs.writeFileSync(path.join(dir, 'details.md'), DETAILS);
    delete hooks.onRcpt;
  });
  afterEach(() => smtp.close());

  const run = (args: string[], now = BEFORE) => runNotify(args, { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url }, now });
  const to = (address: string) => {
    expect(smtp.countFor(address), address).toBe(1);
    return smtp.received.find((m) => m.to.includes(address))!;
  };

  it('each party reads its own note, only its own; a person in two parties reads both, labelled', async () => {
    const r = await run(['close', 'voeux-2027', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(smtp.received).toHaveLength(4);
    const marie = textPart(to('marie@mutuelle.test').raw);
    const sam = textPart(to('sam@mutuelle.test').raw);
    const both = textPart(to('both@mutuelle.test').raw);
    const dg = textPart(to('dg@mutuelle.test').raw);
    expect(marie).toContain(`Pour l’équipe Conseillers clientèle\nNote des conseillers${NNBSP}: rien à noter dans la fiche.`);
    expect(marie).not.toContain('Stores note');
    expect(sam).toContain('For Stores\nStores note: nothing to put up.');
    expect(sam).not.toContain('Note des conseillers');
    expect(both).toContain(`Pour l’équipe Conseillers clientèle\nNote des conseillers`);
    expect(both).toContain(`Pour l’équipe Stores\nStores note`);
    expect(dg).not.toMatch(/Note des conseillers|Stores note|Pour l’équipe/);
    // The notes are recorded with the decisions.
    expect(readLogEvents(dir)[0]).toMatchObject({ event: 'close.planned', effective: '2027-01-04', timezone: 'Europe/Paris', notes: { conseillers: 'Note des conseillers: rien à noter dans la fiche.', stores: 'Stores note: nothing to put up.' } });
  });

  it('the subject leads with the date and the fact, under 78 characters, in each language', async () => {
    expect((await run(['close', 'voeux-2027', '--yes'])).code).toBe(0);
    const fr = to('marie@mutuelle.test').subject;
    const en = to('sam@mutuelle.test').subject;
    expect(fr).toBe(`[Mutuelle Exemple] Dès le 4 janvier${NNBSP}: carte de vœux envoyée à 40 000 clients`);
    expect(en).toBe('[Mutuelle Exemple] From 4 Jan: Carte de vœux envoyée à 40 000 clients');
    for (const s of [fr, en]) expect([...s].length).toBeLessThan(78);
  });

  it('once the date has passed, the message says "since", in the subject and the first lines', async () => {
    expect((await run(['close', 'voeux-2027', '--yes'], () => new Date('2027-01-06T10:00:00Z'))).code).toBe(0);
    expect(to('marie@mutuelle.test').subject).toMatch(/^\[Mutuelle Exemple\] Depuis le 4 janvier\u202f: /);
    expect(textPart(to('marie@mutuelle.test').raw).split('\n')[3]).toBe('Depuis le lundi 4 janvier.');
    expect(to('sam@mutuelle.test').subject).toMatch(/^\[Mutuelle Exemple\] Since 4 Jan: /);
    expect(textPart(to('sam@mutuelle.test').raw).split('\n')[3]).toBe('Since Monday 4 January.');
  });

  it('French typography: a narrow no-break space before : ; ? ! and inside « », in the text, the HTML and the subject', async () => {
    expect((await run(['close', 'voeux-2027', '--yes'])).code).toBe(0);
    const m = to('marie@mutuelle.test');
    const text = textPart(m.raw);
    expect(text).toContain(`un e-mail «${NNBSP}Bonne année${NNBSP}»${NNBSP}; certains appelleront${NNBSP}!`);
    expect(text).toContain(`Une question${NNBSP}? Répondez à ce message${NNBSP}: il parviendra à Jean-François.`);
    expect(text).toContain(`Que leur répondre${NNBSP}: Oui, c'est bien notre carte. Merci de votre appel${NNBSP}!`);
    // No ordinary space, and no missing one, before those marks (a URL keeps its own).
    expect(text.replace(/https?:\/\/\S+/g, '')).not.toMatch(/[^\u202f][:;?!](\s|$)|« | »/);
    expect(text).toContain('https://mutuelle.test/voeux?from=mail&id=2027');
    expect(htmlPart(m.raw)).toContain(`Une question${NNBSP}? Répondez`);
    // English is left alone.
    expect(textPart(to('sam@mutuelle.test').raw)).not.toContain(NNBSP);
  });

  it('lists are joined the way each language joins them', async () => {
    expect((await run(['close', 'voeux-2027', '--yes'])).code).toBe(0);
    expect(textPart(to('both@mutuelle.test').raw)).toContain(`Vous recevez ce message en tant que membre des équipes Conseillers clientèle et Stores, concernées par ce type de projet${NNBSP}: e-mail envoyé aux clients.`);
    expect(textPart(to('dg@mutuelle.test').raw)).toContain('en tant que membre de l’équipe Direction, informée de chaque projet mené à terme.');
  });

  it('the text part is plain text: no Markdown marks, links as "title (url)", the sender by name', async () => {
    expect((await run(['close', 'voeux-2027', '--details-file', 'details.md', '--yes'])).code).toBe(0);
    for (const m of smtp.received) {
      const text = textPart(m.raw);
      expect(text, m.to[0]).not.toMatch(MARKDOWN_MARKERS);
      expect(text).toMatch(/^- La carte \(https:\/\/mutuelle\.test\/voeux\?from=mail&id=2027\)$/m);
      expect(text).toMatch(/^Canal\s+Volume\n─+\s+─+\nE-mail\s+40 000$/m);
      expect(text).toContain('Voir le planning.');
      expect(text.trimEnd().split('\n').at(-1)).toBe('— Projets Mutuelle');
      expect(text).not.toContain('projets@mutuelle.test');
    }
  });

  it('the HTML part carries lang, bordered and padded tables, a set-apart answer, and no raw address of the sender', async () => {
    expect((await run(['close', 'voeux-2027', '--details-file', 'details.md', '--yes'])).code).toBe(0);
    const fr = htmlPart(to('marie@mutuelle.test').raw);
    const en = htmlPart(to('sam@mutuelle.test').raw);
    expect(fr).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(en).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(fr).toContain('<meta name="color-scheme" content="light dark">');
    expect(fr).toMatch(/<td style="[^"]*border:1px solid #[0-9a-f]{6};padding:\d+px \d+px/);
    expect(fr).toMatch(/<blockquote style="[^"]*border-left:4px solid[^"]*"[^>]*>\s*<p><strong>Que leur répondre/);
    expect(fr).toContain('<a href="https://mutuelle.test/voeux?from=mail&amp;id=2027">La carte</a>');
    expect(fr).not.toMatch(/projets@mutuelle\.test|&lt;projets/);
    // No colour is forced on the text: a dark client keeps its own.
    expect(fr).not.toMatch(/[^-]color:|background/);
  });

  it('a resumed close says what was decided, not what the map says now', async () => {
    hooks.onRcpt = (a) => (a === 'sam@mutuelle.test' ? smtpError(550, 'mailbox unavailable') : undefined);
    expect((await run(['close', 'voeux-2027', '--yes'])).code).toBe(1);
    delete hooks.onRcpt;
    writeMap(dir, MAP.replace('Stores note: nothing to put up.', 'A note written later').replace('what_to_say: "Oui', 'what_to_say: "Non'));
    const r = await run(['close', 'voeux-2027', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const sam = textPart(to('sam@mutuelle.test').raw);
    expect(sam).toContain('Stores note: nothing to put up.');
    expect(sam).toContain("What to say: Oui, c'est bien notre carte.");
    expect(sam).not.toMatch(/A note written later|Non, c'est/);
  });

  it('--test-to sends each distinct message once, to that address only, marked [TEST]; nothing is recorded and the project stays open', async () => {
    const r = await run(['close', 'voeux-2027', '--test-to', 'Me <me@mutuelle.test>']);
    expect(r.code, r.stderr).toBe(0);
    // One per template, language and set of notes: conseillers (fr), stores (en), both (fr, two notes), direction (fr, none).
    expect(smtp.received.map((m) => m.to)).toEqual([['me@mutuelle.test'], ['me@mutuelle.test'], ['me@mutuelle.test'], ['me@mutuelle.test']]);
    for (const m of smtp.received) expect(m.subject).toMatch(/^\[TEST\] \[Mutuelle Exemple\] /);
    const texts = smtp.received.map((m) => textPart(m.raw));
    expect(texts[0]).toMatch(/^Bonjour Marie,/);
    expect(texts[1]).toMatch(/^Bonjour Both,/);
    expect(texts[1]).toContain('Stores note');
    expect(texts[2]).toMatch(/^Hello Sam,/);
    expect(texts[3]).toMatch(/^Bonjour Dg,/);
    expect(r.stderr).toContain('4 test messages sent to me@mutuelle.test only, standing for the 4 messages the close sends; nothing was recorded and voeux-2027 is unchanged.');
    // Nothing on record: no log at all, no plan, and the gate still says open.
    expect(readLogEvents(dir)).toEqual([]);
    expect(fs.existsSync(path.join(dir, '.notify', 'plans'))).toBe(false);
    expect((await run(['check', 'voeux-2027'])).code).toBe(1);
    // The real close then tells every party, under Message-IDs of its own.
    const tests = new Set(smtp.received.map((m) => m.messageId));
    expect((await run(['close', 'voeux-2027', '--yes'])).code).toBe(0);
    const real = smtp.received.slice(4);
    expect(real.map((m) => m.to[0]).sort()).toEqual(['both@mutuelle.test', 'dg@mutuelle.test', 'marie@mutuelle.test', 'sam@mutuelle.test']);
    for (const m of real) expect(tests.has(m.messageId)).toBe(false);
  });

  it('notify preview --send-to does the same from preview; a bad address is exit 2 and sends nothing', async () => {
    const r = await run(['preview', 'voeux-2027', '--send-to', 'me@mutuelle.test']);
    expect(r.code, r.stderr).toBe(0);
    expect(smtp.received).toHaveLength(4);
    expect(new Set(smtp.received.flatMap((m) => m.to))).toEqual(new Set(['me@mutuelle.test']));
    expect(readLogEvents(dir)).toEqual([]);
    const bad = await run(['preview', 'voeux-2027', '--send-to', 'me@mutuelle.test, boss@evil.test']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--send-to .*one address/);
    const badClose = await run(['close', 'voeux-2027', '--test-to', 'not an address']);
    expect(badClose.code).toBe(2);
    expect(smtp.received).toHaveLength(4);
  });

  it('flags write the fields; a note for a party not told, or an unknown one, is exit 2 naming it, nothing sent', async () => {
    let r = await run(['close', 'voeux-2027', '--note', 'conseilers=x', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--note conseilers: no such party in the map (did you mean "conseillers"?)');
    r = await run(['close', 'voeux-2027', '--skip', 'stores=told in person', '--note', 'stores=x', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--note stores: this party is not told in this close');
    r = await run(['close', 'voeux-2027', '--effective', '2027-02-30', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--effective "2027-02-30" is not a day of the calendar');
    r = await run(['close', 'voeux-2027', '--link', 'FAQ=javascript:alert(1)', '--yes']);
    expect(r.code).toBe(2);
    expect(smtp.received).toEqual([]);
    expect(readLogEvents(dir)).toEqual([]);
    r = await run(['close', 'voeux-2027', '--effective', '2027-01-05 14:30', '--answer', 'Oui, merci !', '--note', 'direction=Pour information', '--link', 'FAQ=https://mutuelle.test/faq', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const dg = textPart(to('dg@mutuelle.test').raw);
    expect(dg).toContain('À partir du mardi 5 janvier à 14\u00a0h\u00a030.');
    expect(dg).toContain(`Que leur répondre${NNBSP}: Oui, merci${NNBSP}!`);
    expect(dg).toContain('Pour l’équipe Direction\nPour information');
    expect(dg).toContain('- FAQ (https://mutuelle.test/faq)');
    expect(readLogEvents(dir)[0]).toMatchObject({ effective: '2027-01-05 14:30', what_to_say: 'Oui, merci !', links: [{ title: 'La carte', url: 'https://mutuelle.test/voeux?from=mail&id=2027' }, { title: 'FAQ', url: 'https://mutuelle.test/faq' }] });
  });
});
