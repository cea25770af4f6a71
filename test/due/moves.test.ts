/**
 * Told in time after the close: `amend --correction --effective` moves the date (the same
 * calendar event, SEQUENCE one higher) and `amend --cancel` calls the change off (METHOD:CANCEL).
 * Real loopback SMTP server, invitations parsed by ical.js, the clock injected.
 */
import { describe, expect, it } from 'vitest';
import { writeMap } from '../helpers/workspace.js';
import { smtpError, type FaultHooks, type Received } from '../helpers/smtp.js';
import { errorLines } from '../amend/fixture.js';
import { datedWorld } from './fixture.js';
import { invitationOf, textOf } from './mime-parts.js';

const MAP = `version: 1
organization: Acme
from: "Projects <projects@acme.test>"
smtp:
  retry_delays_seconds: [0]
calendar:
  timezone: Europe/Paris
parties:
  advisers:
    name: Conseillers
    locale: fr
    contacts: ["Ann <ann@acme.test>", "conseillers@acme.test"]
    notice: { working_days: 2 }
    invite: true
  sales:
    contacts: ["sales@acme.test"]
    notice: { working_days: 1 }
  legal:
    contacts: ["legal@acme.test"]
    invite: true
projects:
  ecard:
    title: "New Year e-card"
    owner: "Jo <jo@acme.test>"
    parties: [advisers, sales]
    summary: "E-card sent to 40,000 customers"
    customers_will_see: "An e-card in their inbox"
    what_to_say: "Yes, the e-card is ours"
`;

const EVERYONE = ['ann@acme.test', 'conseillers@acme.test', 'sales@acme.test'];
const INVITED = ['ann@acme.test', 'conseillers@acme.test'];

/** A map, a server, and runs of notify at a given time (in-process, real ports). */
const world = (hooks: FaultHooks = {}, map = MAP) => datedWorld(map, hooks);

const byRecipient = (ms: Received[]) => Object.fromEntries(ms.map((m) => [m.to[0], m]));
const tally = (ms: Received[]) => ms.map((m) => m.to.join()).sort();

describe('a moved date and a cancellation update the same calendar event', () => {
  it('sends the correction with the new date (SEQUENCE 1), then the cancellation (METHOD:CANCEL, SEQUENCE 2), each once, with the UID of the first notice', async () => {
    const w = await world();
    const close = await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-21 09:00', '--yes']);
    expect(close.code, close.stderr).toBe(0);
    const first = byRecipient(w.since(0));
    const invite0 = invitationOf(first['ann@acme.test'].raw)!;
    expect(invite0).toMatchObject({ method: 'REQUEST', sequence: 0, start: '2027-01-21T09:00:00', tzid: 'Europe/Paris' });
    expect(textOf(first['sales@acme.test'].raw)).toContain('What to say: Yes, the e-card is ours');

    // A week later, decided ten days after the close.
    const before = w.server.received.length;
    const move = await w.at('2026-12-10T09:00:00Z', ['amend', 'ecard', '--correction', 'The e-card goes out a week later', '--effective', '2027-01-28 09:00', '--reason', 'the printer is late', '--yes']);
    expect(move.code, move.stderr).toBe(0);
    const moved = w.since(before);
    expect(tally(moved)).toEqual(EVERYONE);
    const m = byRecipient(moved);
    for (const to of INVITED) {
      const i = invitationOf(m[to].raw)!;
      expect(i.type).toMatch(/^text\/calendar;.*method=REQUEST/i);
      expect(i).toMatchObject({ method: 'REQUEST', uid: invite0.uid, sequence: 1, start: '2027-01-28T09:00:00', tzid: 'Europe/Paris', startUtc: '2027-01-28T08:00:00.000Z', status: null, alarms: 1, attached: true });
      // Threaded under the notice it corrects.
      expect(m[to].raw).toContain(`In-Reply-To: ${first[to].messageId}`);
    }
    expect(invitationOf(m['sales@acme.test'].raw)).toBeUndefined();
    // The date, fact first, in each recipient's language.
    expect(m['sales@acme.test'].subject).toBe('Correction: [Acme] From 28 Jan: The e-card goes out a week later');
    expect(textOf(m['sales@acme.test'].raw)).toContain('New date: Thursday 28 January at 9:00, instead of Thursday 21 January at 9:00.\nThe e-card goes out a week later');
    expect(m['ann@acme.test'].subject.replace(/[\u00a0\u202f]/g, ' ')).toBe('Correction : [Acme] Dès le 28 janvier : the e-card goes out a week later');
    expect(textOf(m['ann@acme.test'].raw)).toContain('Nouvelle date : jeudi 28 janvier à 9 h, au lieu du jeudi 21 janvier à 9 h.');
    expect(w.events('close.amended')).toMatchObject([
      {
        kind: 'correction',
        effective: '2027-01-28 09:00',
        notice: [
          { party: 'advisers', working_days: 2, tell_by: '2027-01-26T09:00:00+01:00' },
          { party: 'sales', working_days: 1, tell_by: '2027-01-27T09:00:00+01:00' },
        ],
      },
    ]);
    // The deadlines in force are the new date's, and they are met.
    const status = await w.at('2026-12-11T09:00:00Z', ['status', 'ecard', '--json']);
    expect(JSON.parse(status.stdout)[0].deadlines.map((d: any) => [d.party, d.tell_by, d.met])).toEqual([
      ['advisers', '2027-01-26T09:00:00+01:00', true],
      ['sales', '2027-01-27T09:00:00+01:00', true],
    ]);

    const before2 = w.server.received.length;
    const cancel = await w.at('2026-12-15T09:00:00Z', ['amend', 'ecard', '--cancel', '--reason', 'the campaign is called off', '--yes']);
    expect(cancel.code, cancel.stderr).toBe(0);
    const cancelled = w.since(before2);
    expect(tally(cancelled)).toEqual(EVERYONE);
    const c = byRecipient(cancelled);
    for (const to of INVITED) {
      const i = invitationOf(c[to].raw)!;
      expect(i.type).toMatch(/^text\/calendar;.*method=CANCEL/i);
      expect(i).toMatchObject({ method: 'CANCEL', uid: invite0.uid, sequence: 2, status: 'CANCELLED', start: '2027-01-28T09:00:00', tzid: 'Europe/Paris', alarms: 0, attached: true });
    }
    expect(c['sales@acme.test'].subject).toBe('Cancelled: [Acme] E-card sent to 40,000 customers');
    expect(textOf(c['sales@acme.test'].raw)).toContain('Cancelled: E-card sent to 40,000 customers\nThe change announced for Thursday 28 January at 9:00 will not happen.');
    expect(textOf(c['sales@acme.test'].raw)).toContain('What customers will not see: An e-card in their inbox');
    // What to answer was about the change: it no longer holds once the change is called off.
    expect(textOf(c['sales@acme.test'].raw)).not.toContain('What to say');
    expect(textOf(c['ann@acme.test'].raw)).not.toContain('Que leur répondre');
    expect(c['ann@acme.test'].subject).toBe('Annulé\u00a0: [Acme] e-card sent to 40,000 customers');
    expect(c['sales@acme.test'].raw).toContain(`In-Reply-To: ${first['sales@acme.test'].messageId}`);
    expect(textOf(c['ann@acme.test'].raw)).toContain('Le changement annoncé pour le jeudi 28 janvier à 9 h n’aura pas lieu.');
    expect(c['ann@acme.test'].raw).toContain(`In-Reply-To: ${first['ann@acme.test'].messageId}`);
    expect(w.events('close.amended').map((e) => e.kind)).toEqual(['correction', 'cancel']);

    // Cancelled: check passes and says so, status and report show it, due has nothing to list.
    const later = '2027-01-27T09:00:00Z';
    const check = await w.at(later, ['check', 'ecard']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^✔ ecard is closed \(.+\): 2 parties told; cancelled on 2026-12-15T09:00:00.000Z \(the campaign is called off\), and everyone told knows\n$/);
    const checkJson = JSON.parse((await w.at(later, ['check', 'ecard', '--json'])).stdout);
    expect(checkJson).toMatchObject({ closed: true, late: [], cancelled: { at: '2026-12-15T09:00:00.000Z', reason: 'the campaign is called off', decided_by: 'Ana' } });
    const statusJson = JSON.parse((await w.at(later, ['status', 'ecard', '--json'])).stdout)[0];
    expect(statusJson).toMatchObject({ closed: true, deadlines: [], cancelled: { at: '2026-12-15T09:00:00.000Z', reason: 'the campaign is called off' } });
    expect((await w.at(later, ['status'])).stdout).toContain('ecard New Year e-card  cancelled 2026-12-15 (the campaign is called off), closed 2026-12-15');
    const report = await w.at(later, ['report', 'ecard']);
    expect(report.stdout).toContain('- **Status:** CANCELLED on 2026-12-15 09:00:00 UTC (the campaign is called off)');
    expect(report.stdout).toContain('### 1. Correction to everyone told, the date moved to 2027-01-28 09:00');
    expect(report.stdout).toContain('### 2. Cancellation to everyone told');
    const due = await w.at(later, ['due', '--json']);
    expect(due.code).toBe(0);
    expect(JSON.parse(due.stdout)).toEqual([]);
    // Nothing is left to amend.
    const after = w.server.received.length;
    const again = await w.at(later, ['amend', 'ecard', '--correction', 'Back on', '--reason', 'x', '--yes']);
    expect(again.code).toBe(2);
    expect(errorLines(again.stderr)).toEqual(['notify: ecard was cancelled on 2026-12-15T09:00:00.000Z ("the campaign is called off"): there is nothing left to amend; nothing was sent']);
    expect(w.server.received.length).toBe(after);
  });

  it('a party told after a move hears of the date in force, with the event at the current SEQUENCE', async () => {
    const w = await world();
    expect((await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-21 09:00', '--yes'])).code).toBe(0);
    expect((await w.at('2026-12-10T09:00:00Z', ['amend', 'ecard', '--correction', 'A week later', '--effective', '2027-01-28 09:00', '--reason', 'late printer', '--yes'])).code).toBe(0);
    const sent = w.server.received.length;
    const told = await w.at('2026-12-11T09:00:00Z', ['amend', 'ecard', '--party', 'legal', '--reason', 'left out', '--yes']);
    expect(told.code, told.stderr).toBe(0);
    const [legal] = w.since(sent);
    expect(tally(w.since(sent))).toEqual(['legal@acme.test']);
    expect(legal.subject).toBe('[Acme] From 28 Jan: E-card sent to 40,000 customers');
    expect(textOf(legal.raw)).toContain('E-card sent to 40,000 customers\nFrom Thursday 28 January at 9:00.');
    expect(invitationOf(legal.raw)).toMatchObject({ method: 'REQUEST', uid: 'notify.ecard@acme.test', sequence: 1, start: '2027-01-28T09:00:00', tzid: 'Europe/Paris' });
  });
});

describe('the deadline after a move', () => {
  it('a move later keeps the notices already sent in time, even once the new deadline has passed', async () => {
    const w = await world();
    expect((await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-21', '--yes'])).code).toBe(0);
    // Wednesday 20 January: the day before. Thursday 21 becomes Friday 22: the new deadlines
    // (advisers Tuesday 19 18:00, sales Wednesday 20 18:00) are the old ones' day after.
    const move = await w.at('2027-01-20T09:00:00Z', ['amend', 'ecard', '--correction', 'One day later', '--effective', '2027-01-22', '--reason', 'a bank holiday at the printer', '--yes']);
    expect(move.code, move.stderr).toBe(0);
    expect(w.events('party.late')).toEqual([]);
    const check = await w.at('2027-01-25T09:00:00Z', ['check', 'ecard', '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).late).toEqual([]);
    const status = JSON.parse((await w.at('2027-01-25T09:00:00Z', ['status', 'ecard', '--json'])).stdout)[0];
    expect(status.deadlines).toEqual([
      { party: 'advisers', tell_by: '2027-01-19T18:00:00+01:00', told_at: '2026-12-01T09:00:00.000Z', met: true, accepted_reason: null },
      { party: 'sales', tell_by: '2027-01-20T18:00:00+01:00', told_at: '2026-12-01T09:00:00.000Z', met: true, accepted_reason: null },
    ]);
  });

  it('a move earlier whose deadline has passed needs --accept-late (nothing sent without it); the reason is recorded for the new deadline and check passes', async () => {
    const w = await world();
    expect((await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-28', '--yes'])).code).toBe(0);
    const log = w.log();
    const sent = w.server.received.length;
    // Tuesday 19 January, 10:00 in Paris: Thursday 28 becomes Thursday 21. Advisers had to be told
    // of it by Monday 18 18:00; sales have until today 18:00.
    const now = '2027-01-19T09:00:00Z';
    const args = ['amend', 'ecard', '--correction', 'A week earlier', '--effective', '2027-01-21', '--reason', 'the printer is early', '--yes'];
    const refused = await w.at(now, args);
    expect(refused.code).toBe(2);
    expect(errorLines(refused.stderr)).toEqual(['notify: advisers had to be told by 2027-01-18 18:00 (+01:00) (2 working days before the effective date): the deadline has passed; nothing was sent']);
    expect(refused.stderr).toContain('--accept-late advisers="why they are told late"');
    const wrong = await w.at(now, [...args, '--accept-late', 'sales=no reason to']);
    expect(wrong.code).toBe(2);
    expect(errorLines(wrong.stderr)).toEqual(['notify: --accept-late sales: its deadline 2027-01-19 18:00 (+01:00) is met or still ahead']);
    expect(w.server.received.length).toBe(sent);
    expect(w.log()).toBe(log);

    const ok = await w.at(now, [...args, '--accept-late', 'advisers=the printer moved it on Monday night']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(tally(w.since(sent))).toEqual(EVERYONE);
    expect(w.events('party.late')).toMatchObject([{ party: 'advisers', tell_by: '2027-01-18T18:00:00+01:00', reason: 'the printer moved it on Monday night' }]);
    const check = await w.at('2027-01-22T09:00:00Z', ['check', 'ecard', '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).late).toEqual([{ party: 'advisers', tell_by: '2027-01-18T18:00:00+01:00', told_at: now.replace('Z', '.000Z'), accepted_reason: 'the printer moved it on Monday night' }]);
  });

  it('while a move earlier is in progress, due lists the parties by the new deadline, and a resumed move past it needs --accept-late', async () => {
    const refuse = { on: false };
    const w = await world({ onRcpt: (to) => (refuse.on && to === 'conseillers@acme.test' ? smtpError(451, 'try again later') : undefined) });
    expect((await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-28', '--yes'])).code).toBe(0);
    refuse.on = true;
    // Thursday 14 January: Thursday 28 becomes Thursday 21; advisers must know by Monday 18 18:00.
    const move = await w.at('2027-01-14T09:00:00Z', ['amend', 'ecard', '--correction', 'A week earlier', '--effective', '2027-01-21', '--reason', 'the printer is early', '--yes']);
    expect(move.code).toBe(1);

    const due = await w.at('2027-01-14T09:30:00Z', ['due', '--json']);
    expect(due.code).toBe(0);
    expect(JSON.parse(due.stdout)).toEqual([
      { project: 'ecard', effective: '2027-01-21', party: 'advisers', notice: { working_days: 2 }, tell_by: '2027-01-18T18:00:00+01:00', state: 'pending', told_at: null },
      { project: 'ecard', effective: '2027-01-21', party: 'sales', notice: { working_days: 1 }, tell_by: '2027-01-19T18:00:00+01:00', state: 'ok', told_at: '2027-01-14T09:00:00.000Z' },
    ]);
    const overdue = await w.at('2027-01-19T09:00:00Z', ['due', '--json']);
    expect(overdue.code).toBe(1);
    expect(JSON.parse(overdue.stdout)[0]).toMatchObject({ party: 'advisers', state: 'overdue' });

    refuse.on = false;
    const sent = w.server.received.length;
    const resumed = await w.at('2027-01-19T09:00:00Z', ['amend', 'ecard', '--yes']);
    expect(resumed.code).toBe(2);
    expect(errorLines(resumed.stderr)).toEqual(['notify: advisers had to be told by 2027-01-18 18:00 (+01:00) (2 working days before the effective date): the deadline has passed; nothing was sent']);
    expect(w.server.received.length).toBe(sent);
    const done = await w.at('2027-01-19T09:00:00Z', ['amend', 'ecard', '--yes', '--accept-late', 'advisers=their list refused mail for a week']);
    expect(done.code, done.stderr).toBe(0);
    expect(tally(w.since(sent))).toEqual(['conseillers@acme.test']);
    expect((await w.at('2027-01-20T09:00:00Z', ['check', 'ecard'])).code).toBe(0);
  });
});

describe('the zone a close recorded', () => {
  it('is the one deadlines and invitations are counted in after the map changes zone', async () => {
    const w = await world();
    expect((await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-28 09:00', '--yes'])).code).toBe(0);
    expect(w.events('close.planned')[0]).toMatchObject({ effective: '2027-01-28 09:00', timezone: 'Europe/Paris' });
    writeMap(w.dir, MAP.replace('timezone: Europe/Paris', 'timezone: America/New_York'));

    // Tuesday 19 January, 10:00 UTC: the deadline of "Thursday 21 09:00" with two working days
    // has passed in Paris (Tuesday 09:00 = 08:00 UTC), not in New York (14:00 UTC).
    const now = '2027-01-19T10:00:00Z';
    const args = ['amend', 'ecard', '--correction', 'A week earlier', '--effective', '2027-01-21 09:00', '--reason', 'the printer is early', '--yes'];
    const refused = await w.at(now, args);
    expect(refused.code).toBe(2);
    expect(errorLines(refused.stderr)[0]).toMatch(/^notify: advisers had to be told by 2027-01-19 09:00 \(\+01:00\)/);
    const sent = w.server.received.length;
    const ok = await w.at(now, [...args, '--accept-late', 'advisers=moved at short notice']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(w.events('close.amended')[0].notice).toEqual([
      { party: 'advisers', working_days: 2, tell_by: '2027-01-19T09:00:00+01:00' },
      { party: 'sales', working_days: 1, tell_by: '2027-01-20T09:00:00+01:00' },
    ]);
    const invite = invitationOf(w.since(sent).find((m) => m.to[0] === 'ann@acme.test')!.raw)!;
    expect(invite).toMatchObject({ tzid: 'Europe/Paris', start: '2027-01-21T09:00:00', startUtc: '2027-01-21T08:00:00.000Z', sequence: 1 });
  });

  it('keeps the verdicts of due and the times it shows in the recorded zone', async () => {
    const w = await world({ onRcpt: (to) => (to === 'sales@acme.test' ? smtpError(451, 'try again later') : undefined) });
    expect((await w.at('2027-01-14T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-28 09:00', '--yes'])).code).toBe(1);
    writeMap(w.dir, MAP.replace('timezone: Europe/Paris', 'timezone: America/New_York'));
    // Sales, one working day before Thursday 09:00: Wednesday 27 09:00 in Paris. "Due" one working
    // day before that: Tuesday 26 09:00 in Paris. Counted in New York, Wednesday 03:00 there is
    // outside working hours and the window would open on Monday evening.
    const json = await w.at('2027-01-26T07:00:00Z', ['due', '--json', '--within', '1wd']);
    expect(JSON.parse(json.stdout).map((r: any) => [r.party, r.tell_by, r.state])).toEqual([
      ['advisers', '2027-01-26T09:00:00+01:00', 'ok'],
      ['sales', '2027-01-27T09:00:00+01:00', 'pending'],
    ]);
    const due = await w.at('2027-01-26T07:00:00Z', ['due']);
    expect(due.stdout.split('\n')[0]).toBe('✔ ok      ecard  advisers  tell by 2027-01-26 09:00 (+01:00)  (2 working days before 2027-01-28 09:00)  told 2027-01-14 10:00 (+01:00)');
    expect((await w.at('2027-01-26T08:00:00Z', ['due', '--json', '--within', '1wd'])).stdout).toContain('"state": "due"');
  });
});

describe('amend --effective and --cancel refuse, with one line, exit 2 and nothing sent or recorded', () => {
  it('a misuse of the flags, the date already in force, a date that is not one, and a different amendment while one is in progress', async () => {
    const refuse = { on: false };
    const w = await world({ onRcpt: (to) => (refuse.on && to === 'sales@acme.test' ? smtpError(451, 'try again later') : undefined) });
    const now = '2026-12-01T09:00:00Z';
    expect((await w.at(now, ['close', 'ecard', '--effective', '2027-01-21 09:00', '--yes'])).code).toBe(0);
    const refused = async (args: string[], line: string) => {
      const log = w.log();
      const sent = w.server.received.length;
      const r = await w.at(now, ['amend', 'ecard', ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(errorLines(r.stderr)).toEqual([`notify: ${line}`]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(w.server.received.length).toBe(sent);
      expect(w.log()).toBe(log);
    };
    await refused(['--effective', '2027-01-28', '--reason', 'r', '--yes'], '--effective goes with --correction: say in one line what changes, for everyone told; nothing was sent');
    await refused(['--party', 'sales', '--effective', '2027-01-28', '--reason', 'r', '--yes'], '--effective goes with --correction: say in one line what changes, for everyone told; nothing was sent');
    await refused(['--cancel', '--correction', 'x', '--reason', 'r', '--yes'], '--cancel goes alone (with --reason, and --details-file if you have more to say): amend one thing at a time; nothing was sent');
    await refused(['--cancel', '--effective', '2027-01-28', '--reason', 'r', '--yes'], '--cancel goes alone (with --reason, and --details-file if you have more to say): amend one thing at a time; nothing was sent');
    await refused(['--correction', 'x', '--effective', '2027-01-21 09:00', '--reason', 'r', '--yes'], '--effective 2027-01-21 09:00: ecard already takes effect then; nothing was sent');
    await refused(['--correction', 'x', '--effective', '2027-02-30', '--reason', 'r', '--yes'], '--effective "2027-02-30" is not a day of the calendar');
    await refused(['--correction', 'x', '--reason', 'r', '--accept-late', 'advisers=y', '--yes'], '--accept-late: this amendment does not move the date, so it gives no new deadline; nothing was sent');
    await refused(['--cancel', '--reason', 'r', '--accept-late', 'advisers=y', '--yes'], '--accept-late: a cancelled change has no deadline; nothing was sent');
    await refused(['--cancel'], 'why is the close amended? give --reason "..." (one line, recorded in the log)');
    await refused(['--cancel', '--reason', 'r'], 'confirmation needed: run with --yes to send without a terminal (or --dry-run to only look)');

    // A move in progress (sales defers): another date, or a cancellation, waits until it is done.
    refuse.on = true;
    const move = await w.at(now, ['amend', 'ecard', '--correction', 'A week later', '--effective', '2027-01-28', '--reason', 'late printer', '--yes']);
    expect(move.code).toBe(1);
    refuse.on = false;
    const recorded = w.events('close.amended')[0].ts;
    const what = `ecard: an amendment recorded on ${recorded} (the correction "A week later" moving the date to 2027-01-28) is still in progress, and this run's`;
    await refused(['--correction', 'A week later', '--effective', '2027-02-04', '--yes'], `${what} --effective differs from it; nothing was sent`);
    await refused(['--cancel', '--yes'], `${what} --cancel differs from it; nothing was sent`);
    // The same flags resume it: sales, once.
    const sent = w.server.received.length;
    const resumed = await w.at(now, ['amend', 'ecard', '--correction', 'A week later', '--effective', '2027-01-28', '--yes']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(tally(w.since(sent))).toEqual(['sales@acme.test']);
  });

  it('--dry-run shows the new date and sends and records nothing', async () => {
    const w = await world();
    expect((await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-21', '--yes'])).code).toBe(0);
    const log = w.log();
    const sent = w.server.received.length;
    const r = await w.at('2026-12-02T09:00:00Z', ['amend', 'ecard', '--correction', 'A week later', '--effective', '2027-01-28', '--reason', 'r', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run for the amendment of ecard (correction to everyone told: A week later; the date moves to 2027-01-28 (was 2027-01-21)): 3 messages would be sent');
    expect(r.stdout.replace(/[\u00a0\u202f]/g, ' ')).toContain('Nouvelle date : jeudi 28 janvier, au lieu du jeudi 21 janvier.');
    expect(w.server.received.length).toBe(sent);
    expect(w.log()).toBe(log);
  });
});
