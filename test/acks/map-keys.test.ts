/** The replies: block and a party's ack: block: read from the map, every mistake at its line. */
import { describe, expect, it } from 'vitest';
import { mapFrom, problemsOf } from '../fixtures/maps.js';
import { after } from '../../src/domain/ack-time.js';
import { ackRequestLine } from '../../src/domain/ack-request.js';

const HEAD = 'version: 1\nfrom: "Projects <projects@acme.test>"\n';
const REPLIES = `replies:
  imap:
    url: imaps://mail.acme.test:993
    user: notify-bot
    password_env: NOTIFY_IMAP_PASSWORD
    processed_folder: notify/processed
  address: notify-replies@acme.test
`;

describe('the map keys of acknowledgements', () => {
  it('reads replies: and ack: into the map', () => {
    const map = mapFrom(`${HEAD}${REPLIES}parties:
  desk:
    contacts: ["desk@acme.test"]
    ack:
      required: true
      within: { working_days: 2 }
      remind_after: { hours: 4 }
      escalate_to: boss
  boss:
    contacts: ["boss@acme.test"]
`);
    expect(map.replies).toMatchObject({ address: { address: 'notify-replies@acme.test' }, imap: { url: 'imaps://mail.acme.test:993', user: 'notify-bot', passwordEnv: 'NOTIFY_IMAP_PASSWORD', mailbox: 'INBOX', processedFolder: 'notify/processed' } });
    expect(map.parties.get('desk')?.ack).toEqual({ required: true, within: { workingDays: 2 }, remindAfter: { hours: 4 }, escalateTo: 'boss' });
  });

  it('names each mistake at its line, with "did you mean" for escalate_to', () => {
    const problems = problemsOf(`${HEAD}replies:
  imap:
    url: https://mail.acme.test
    password_env: NOTIFY_IMAP_PASSWORD
    password_file: secret.txt
    mailbx: INBOX
parties:
  desk:
    contacts: ["desk@acme.test"]
    ack:
      required: true
      within: { weeks: 1 }
      remind_after: { working_days: 1.5 }
      escalate_to: bos
  boss:
    contacts: ["boss@acme.test"]
  other:
    contacts: ["o@acme.test"]
    ack: { remind_after: { days: 1 } }
`);
    expect(problems).toHaveLength(7);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^notify\.yaml:7:5: replies\.imap: give one of password_env, password_file, password_command/),
        expect.stringMatching(/^notify\.yaml:5:10: replies\.imap\.url "https:\/\/mail\.acme\.test" must look like imaps:\/\/host:993/),
        expect.stringMatching(/^notify\.yaml:8:5: unknown key "mailbx" in replies\.imap \(did you mean "mailbox"\?\)/),
        expect.stringMatching(/^notify\.yaml:14:17: unknown key "weeks" in party "desk" ack\.within/),
        expect.stringMatching(/^notify\.yaml:15:37: party "desk" ack\.remind_after\.working_days must be a whole number/),
        expect.stringMatching(/^notify\.yaml:16:20: party "desk" ack\.escalate_to names unknown party "bos" \(did you mean "boss"\?\)/),
        expect.stringMatching(/^notify\.yaml:21:12: party "other" ack\.remind_after has no effect without "required: true"/),
      ]),
    );
  });

  it('warns when a party must acknowledge but no mailbox is named to read the replies', () => {
    expect(problemsOf(`${HEAD}parties:\n  desk:\n    contacts: ["d@acme.test"]\n    ack: { required: true }\n`)).toEqual([expect.stringMatching(/^notify\.yaml:4:3: warning: party "desk" must acknowledge, but the map has no replies\.imap/)]);
  });
});

describe('waits after a send', () => {
  it('counts working days Monday to Friday, and plain days and hours as they are', () => {
    // A Friday afternoon: one working day later is Monday, two is Tuesday.
    const friday = new Date(2026, 2, 6, 15, 0);
    expect(after(friday, { workingDays: 1 })).toEqual(new Date(2026, 2, 9, 15, 0));
    expect(after(friday, { workingDays: 2 })).toEqual(new Date(2026, 2, 10, 15, 0));
    expect(after(new Date(2026, 2, 7, 9, 0), { workingDays: 1 })).toEqual(new Date(2026, 2, 9, 9, 0));
    expect(after(friday, { days: 1 })).toEqual(new Date(2026, 2, 7, 15, 0));
    expect(after(friday, { hours: 4 }).getTime() - friday.getTime()).toBe(4 * 3_600_000);
  });
});

describe('the request to acknowledge', () => {
  it('is natural in English and French, with narrow no-break spaces inside the guillemets', () => {
    expect(ackRequestLine('en')).toBe('Please reply to this message (any reply, "OK" is enough) to confirm you have read it.');
    expect(ackRequestLine('fr-CA')).toBe('Merci de répondre à ce message (un simple «\u202fOK\u202f» suffit) pour confirmer que vous l’avez lu.');
    expect(ackRequestLine('de')).toBe(ackRequestLine('en'));
  });
});
