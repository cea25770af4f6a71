/**
 * Interactively: after the summary, when it takes effect (default today, in the map's time zone),
 * then the editor on a skeleton in the user's language, filled with what the map already says;
 * what comes back is echoed before the confirmation, recorded and sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/context.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { readLogEvents, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';
import { textPart } from './mime.js';

const MAP = `version: 1
organization: Mutuelle Exemple
from: "Projets <projets@mutuelle.test>"
locale: fr
timezone: Pacific/Auckland
actions:
  customer-email: { description: "E-mail envoyé aux clients" }
parties:
  conseillers:
    name: Conseillers clientèle
    contacts: ["Marie <marie@mutuelle.test>"]
    affected_by: [customer-email]
projects:
  voeux-2027:
    owner: "Jean-François <jf@mutuelle.test>"
    actions: [customer-email]
    summary: "Carte de vœux envoyée"
    audience: "40 000 clients"
`;

const tempDir = scratchDirs();

describe('notify close, interactive: the date, then the editor', () => {
  let smtp: TestSmtp;
  beforeEach(async () => (smtp = await startSmtp()));
  afterEach(() => smtp.close());

  it('asks the date (today in the map\'s zone by default), opens the French skeleton, echoes what was written, sends it', async () => {
    const dir = tempDir();
    writeMap(dir, MAP);
    const asked: { kind: string; message: string; initial?: string }[] = [];
    const prompter: Prompter = {
      checkbox: async (message, choices) => (asked.push({ kind: 'checkbox', message }), choices.filter((c) => c.checked).map((c) => c.value)),
      input: async (message, o) => {
        asked.push({ kind: 'input', message, initial: o?.default });
        return message.startsWith('When') ? '2027-01-04 09:00' : (o?.default ?? '');
      },
      editor: async (message, initial) => {
        asked.push({ kind: 'editor', message, initial });
        return initial!.replace('## Que leur répondre\n<!-- La réponse qu’un conseiller peut lire telle quelle à un client. -->\n', '## Que leur répondre\n<!-- hint -->\nOui, c’est notre carte !\n').replace('## Pour Conseillers clientèle (conseillers)\n<!-- Ce que cela change pour cette équipe, et ce qu’elle doit faire. -->\n', '## Pour Conseillers clientèle (conseillers)\nRien à noter.\n');
      },
      confirm: async (message) => (asked.push({ kind: 'confirm', message }), true),
      select: async <T extends string>(message: string) => (asked.push({ kind: 'select', message }), 'send' as T),
    };
    // 2026-12-31 at 20:00 UTC is already 1 January 2027 in Auckland.
    const r = await runNotify(['close', 'voeux-2027'], { cwd: dir, interactive: true, prompter, env: { NOTIFY_SMTP_URL: smtp.url }, now: () => new Date('2026-12-31T20:00:00Z') });
    expect(r.code, r.stderr).toBe(0);
    expect(asked.map((a) => a.kind)).toEqual(['checkbox', 'checkbox', 'input', 'input', 'editor', 'select']);
    expect(asked[3]).toMatchObject({ message: 'When does the change reach the people it affects? (YYYY-MM-DD, or "YYYY-MM-DD HH:MM")', initial: '2027-01-01' });
    const skeleton = asked[4].initial!;
    expect(skeleton).toMatch(/^<!-- Écrivez sous chaque titre/);
    expect(skeleton).toContain('## Qui est concerné\n<!-- Qui voit le changement à l’extérieur, par exemple « 40 000 clients et prospects ayant une adresse e-mail ». -->\n40 000 clients\n');
    expect(skeleton).toContain('## Ce que verront les clients\n');
    // Echoed on screen before the confirmation, hints gone, empty sections left out.
    const echo = r.stderr.slice(r.stderr.indexOf('The message will say:'));
    expect(echo).toMatch(/^The message will say:\n {2}Takes effect: 2027-01-04 09:00 \(Pacific\/Auckland\)\n {2}Who is affected: 40 000 clients\n {2}What to say: Oui, c’est notre carte !\n {2}For Conseillers clientèle: Rien à noter\.\n/);
    expect(echo).not.toMatch(/What customers will see|<!--/);
    expect(r.stderr.indexOf('The message will say:')).toBeLessThan(r.stderr.indexOf('1 message to send'));
    expect(readLogEvents(dir)[0]).toMatchObject({ event: 'close.planned', effective: '2027-01-04 09:00', timezone: 'Pacific/Auckland', audience: '40 000 clients', what_to_say: 'Oui, c’est notre carte !', notes: { conseillers: 'Rien à noter.' } });
    expect(readLogEvents(dir)[0]).not.toHaveProperty('customers_will_see');
    const text = textPart(smtp.received[0].raw);
    expect(text).toContain('À partir du lundi 4 janvier à 9\u00a0h.');
    expect(text).toContain('Que leur répondre\u202f: Oui, c’est notre carte\u202f!');
  });
});
