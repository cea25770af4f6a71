/**
 * Hostile tests of a move of the date and of --accept-late, over a real loopback SMTP server
 * with the clock injected: spellings of the date in force, a reason given twice, and a rerun
 * with the very flags of a run that did not finish.
 */
import { describe, expect, it } from 'vitest';
import { smtpError } from '../helpers/smtp.js';
import { datedWorld } from '../due/fixture.js';
import { errorLines } from './fixture.js';

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
    contacts: ["Ann <ann@acme.test>"]
    notice: { working_days: 2 }
    invite: true
  sales:
    contacts: ["sales@acme.test"]
    notice: { working_days: 1 }
projects:
  ecard:
    title: "New Year e-card"
    owner: "Jo <jo@acme.test>"
    parties: [advisers, sales]
    summary: "E-card sent to 40,000 customers"
  promo:
    owner: "Jo <jo@acme.test>"
    parties: [sales]
    summary: "Spring promotion"
    effective: 2026-12-03
`;

/** A map, a server that defers every recipient while `deferring`, and runs at a given time. */
async function world() {
  const state = { deferring: false };
  const w = await datedWorld(MAP, { onRcpt: () => (state.deferring ? smtpError(451, 'try again later') : undefined) });
  return { ...w, state };
}

/** ecard closed on 1 December for 21 January. */
async function closedEcard() {
  const w = await world();
  expect((await w.at('2026-12-01T09:00:00Z', ['close', 'ecard', '--effective', '2027-01-21', '--yes'])).code).toBe(0);
  return w;
}

/** Runs `refused` on a closed ecard: neither the mail the server received nor the log may change. */
async function changesNothing(refused: (w: Awaited<ReturnType<typeof world>>) => Promise<void>): Promise<void> {
  const w = await closedEcard();
  const mail = w.server.received.length;
  const log = w.log();
  await refused(w);
  expect(w.server.received.length).toBe(mail);
  expect(w.log()).toBe(log);
}

describe('a move to the date already in force', () => {
  it('is refused however the date is written: "2027-01-21 00:00" is the "2027-01-21" in force (nothing sent, log untouched)', async () => {
    await changesNothing(async (w) => {
      for (const same of ['2027-01-21 00:00', '2027-01-21T00:00']) {
        const r = await w.at('2026-12-10T09:00:00Z', ['amend', 'ecard', '--correction', 'Same day', '--effective', same, '--reason', 'r', '--yes']);
        expect(r.code, r.stderr).toBe(2);
        expect(errorLines(r.stderr)).toEqual([`notify: --effective ${same}: ecard already takes effect then; nothing was sent`]);
      }
    });
  });
});

describe('--accept-late', () => {
  it('one party given twice with two reasons is refused, not settled by the last one', async () => {
    await changesNothing(async (w) => {
      const r = await w.at('2026-12-02T09:00:00Z', ['amend', 'ecard', '--correction', 'Earlier', '--effective', '2026-12-03', '--reason', 'r', '--yes', '--accept-late', 'advisers=urgent', '--accept-late', 'sales=the shop asked', '--accept-late', 'sales=no reason really']);
      expect(r.code, r.stderr).toBe(2);
      expect(errorLines(r.stderr)).toEqual(['notify: --accept-late sales is given twice ("the shop asked", then "no reason really"): give one reason per party; nothing was sent']);
    });
  });

  it('a move that did not finish is finished by a rerun with the same --accept-late, each person told once, each reason recorded once', async () => {
    const w = await closedEcard();
    const args = ['amend', 'ecard', '--correction', 'Earlier', '--effective', '2026-12-03', '--reason', 'r', '--yes', '--accept-late', 'advisers=the shop asked', '--accept-late', 'sales=the shop asked'];
    w.state.deferring = true;
    const first = await w.at('2026-12-02T09:00:00Z', args);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain('run `notify amend ecard` again');
    expect(w.events('party.late').map((e) => e.party)).toEqual(['advisers', 'sales']);
    w.state.deferring = false;
    const before = w.server.received.length;
    const rerun = await w.at('2026-12-02T09:05:00Z', args);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(w.server.received.slice(before).map((m) => m.to[0]).sort()).toEqual(['ann@acme.test', 'sales@acme.test']);
    expect(w.events('party.late').map((e) => [e.party, e.reason])).toEqual([
      ['advisers', 'the shop asked'],
      ['sales', 'the shop asked'],
    ]);
    const check = await w.at('2026-12-02T09:10:00Z', ['check', 'ecard']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('a rerun of a close with the same --accept-late finishes it; another reason for the same deadline is refused', async () => {
    const w = await world();
    w.state.deferring = true;
    const first = await w.at('2026-12-02T09:00:00Z', ['close', 'promo', '--yes', '--accept-late', 'sales=printed late']);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain('run the same command again');
    w.state.deferring = false;
    const log = w.log();
    const other = await w.at('2026-12-02T09:05:00Z', ['close', 'promo', '--yes', '--accept-late', 'sales=another story']);
    expect(other.code, other.stderr).toBe(2);
    expect(errorLines(other.stderr)).toEqual(['notify: --accept-late sales: its late notice is already accepted ("printed late"); nothing was sent']);
    expect(w.log()).toBe(log);
    const rerun = await w.at('2026-12-02T09:05:00Z', ['close', 'promo', '--yes', '--accept-late', 'sales=printed late']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(w.server.countFor('sales@acme.test')).toBe(1);
    expect(w.events('party.late')).toMatchObject([{ party: 'sales', reason: 'printed late' }]);
  });
});

describe('--accept-late without a party', () => {
  it('says to name the party (it read "--accept-late : it has no deadline in this close")', async () => {
    const w = await world();
    const r = await w.at('2026-12-02T09:00:00Z', ['close', 'promo', '--yes', '--accept-late', '=printed late']);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLines(r.stderr)).toEqual(['notify: --accept-late =printed late: name the party before the reason: --accept-late PARTY="why telling them late is accepted"']);
    expect(w.server.received).toHaveLength(0);
    expect(w.log()).toBe('');
  });
});
