/**
 * A reply's own words, as each client quotes the message it answers: the excerpt an
 * acknowledgement records. The whole path (IMAP, matching, the log) is in acks.test.ts; these are
 * the quote headers that test does not put in a mailbox, English ones among them.
 */
import { describe, expect, it } from 'vitest';
import { visibleText } from '../../src/adapters/imap/reply-text.js';

const QUOTED = 'Hello,\nPrices change on 1 March.';

describe("a reply's own words, its quoted history cut off", () => {
  it.each([
    ['Outlook, English', `Noted, I will tell the team.\n\nFrom: Projects <projects@example.com>\nSent: Monday, March 3, 2025 10:02 AM\nTo: Emma <emma@example.com>\nSubject: From 1 Mar: new prices\n\n${QUOTED}\n`, 'Noted, I will tell the team.'],
    ['Outlook, English, with a separator line', `Read, thanks.\n\n________________________________\nFrom: Projects <projects@example.com>\nSent: Monday, March 3, 2025 10:02 AM\n\n${QUOTED}\n`, 'Read, thanks.'],
    ['Outlook, French', `Bien reçu.\n\nDe : Projets <projets@exemple.fr>\nEnvoyé : lundi 3 mars 2025 10:02\nÀ : Alice\nObjet : Dès le 1er mars : nouveaux tarifs\n\nBonjour,\n`, 'Bien reçu.'],
    ['Apple Mail, English', `OK\n\n> On 3 Mar 2025, at 10:02, Projects <projects@example.com> wrote:\n> \n> Hello,\n> Prices change on 1 March.\n`, 'OK'],
    ['Gmail, English', `Got it.\n\nOn Mon, 3 Mar 2025 at 10:02, Projects <projects@example.com> wrote:\n\n> Hello,\n> Prices change on 1 March.\n`, 'Got it.'],
    ['Thunderbird, French', `Lu et compris.\n\nLe 03/03/2025 à 10:02, Projets a écrit :\n> Bonjour,\n> Les tarifs changent le 1er mars.\n`, 'Lu et compris.'],
  ])('%s', (_client, body, words) => {
    expect(visibleText(body).trim()).toBe(words);
  });
});
