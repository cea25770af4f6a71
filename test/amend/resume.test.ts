/**
 * An amendment that does not go through at once: killed mid-send (SIGKILL of the real binary),
 * or refused for a while by the server. Until its messages are all sent the project is not
 * closed (check exits 1, status says so); a rerun sends only what is missing, never twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { smtpError } from '../helpers/smtp.js';
import { killAtMailFrom, spawnCli } from '../faults/fixture.js';
import { amendWorld, CLOSE_TOLD, tally, type AmendWorld } from './fixture.js';

let world: AmendWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('an amendment killed mid-send', () => {
  it('resumes without duplicates: the rerun sends the rest, an attempt without outcome is unknown until --resend-unknown (same Message-ID)', async () => {
    // Killed at the amendment's second message: its attempt line is on disk, nothing of it was sent.
    const killer = killAtMailFrom(2);
    const w = (world = await amendWorld({ onMailFrom: killer.onMailFrom }));
    expect((await w.quick(['close', 'voeux-2027', '--yes'])).exitCode).toBe(0);
    const before = w.smtp.received.length;
    const env = { NOTIFY_SMTP_URL: w.smtp.url };
    const child = spawnCli(['amend', 'voeux-2027', '--correction', 'New date: 6 January', '--reason', 'wrong date', '--yes'], w.dir, env);
    killer.arm(child);
    expect((await child).signal).toBe('SIGKILL');
    expect(w.since(before)).toHaveLength(1);
    expect(w.events('close.amended')).toHaveLength(1);
    const attempts = w.events('notification.attempt').slice(-2);

    const check = await w.quick(['check', 'voeux-2027']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain('an amendment recorded on');

    // No flags: the amendment in progress is resumed as recorded.
    const rerun = await w.run(['amend', 'voeux-2027', '--yes']);
    expect(rerun.exitCode, rerun.stderr).toBe(1);
    expect(rerun.stderr).toContain('Resuming the amendment of voeux-2027');
    expect(rerun.stderr).toContain('--resend-unknown');
    expect(w.since(before)).toHaveLength(2);
    expect(w.events('close.amended')).toHaveLength(1);

    const resend = await w.quick(['amend', 'voeux-2027', '--yes', '--resend-unknown']);
    expect(resend.exitCode, resend.stderr).toBe(0);
    const corrections = w.since(before);
    expect(tally(corrections)).toEqual(Object.fromEntries(CLOSE_TOLD.map((a) => [a, 1])));
    // The message killed mid-send went out with the Message-ID its attempt line recorded.
    const unknown = attempts[1];
    expect(corrections.find((m) => m.to[0] === unknown.recipient)!.messageId).toBe(unknown.message_id);
    expect(w.events('project.closed')).toHaveLength(2);
    expect((await w.quick(['check', 'voeux-2027'])).exitCode).toBe(0);
  });
});

describe('an amendment in progress', () => {
  /** Closed, then an amendment for marketing that the server defers (451) while `refuse.on`. */
  async function stuck() {
    const refuse = { on: false };
    const w = (world = await amendWorld({ onRcpt: (to) => (refuse.on && to === 'mkt@acme.test' ? smtpError(451, 'try again later') : undefined) }));
    expect((await w.quick(['close', 'voeux-2027', '--yes'])).exitCode).toBe(0);
    refuse.on = true;
    const first = await w.run(['amend', 'voeux-2027', '--party', 'marketing', '--reason', 'left out', '--yes']);
    expect(first.exitCode, first.stderr).toBe(1);
    expect(first.stderr).toContain('voeux-2027 is not closed again: the amendment has not reached 1 party yet');
    expect(w.smtp.countFor('mkt@acme.test')).toBe(0);
    return { w, refuse };
  }

  it('keeps the project open: check exits 1 and says why, status shows it (human and JSON)', async () => {
    const { w } = await stuck();

    const check = await w.run(['check', 'voeux-2027']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/voeux-2027 is not closed: an amendment recorded on .+ is in progress \(telling marketing\)/);
    expect(check.stdout).toContain('failed: marketing');
    const json = JSON.parse((await w.quick(['check', 'voeux-2027', '--json'])).stdout);
    expect(json).toMatchObject({ closed: false, failed: ['marketing'], notified: ['support', 'boss'], amendment: { kind: 'parties', parties: ['marketing'], reason: 'left out' } });

    const status = await w.quick(['status']);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/voeux-2027 New Year e-card {2}amending since \d{4}-\d\d-\d\d \(telling marketing: left out\)/);
    const rows = JSON.parse((await w.quick(['status', '--json'])).stdout);
    expect(rows.find((r: any) => r.project === 'voeux-2027')).toMatchObject({ closed: false, planned: true, failed: ['marketing'], amendment: { kind: 'parties', since: w.events('close.amended')[0].ts } });
  });

  it('refuses another amendment meanwhile; a close finishes this one, telling the party once, and the project is closed again', async () => {
    const { w, refuse } = await stuck();

    // Another amendment meanwhile is refused: this one first.
    const other = await w.quick(['amend', 'voeux-2027', '--party', 'legal', '--reason', 'also left out', '--yes']);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain("is still in progress, and this run's --party, --reason differ from it; nothing was sent");

    refuse.on = false;
    const close = await w.run(['close', 'voeux-2027', '--yes']);
    expect(close.exitCode, close.stderr).toBe(0);
    expect(close.stderr).toContain('voeux-2027 has an amendment in progress');
    expect(w.smtp.countFor('mkt@acme.test')).toBe(1);
    expect(w.smtp.countFor('legal@acme.test')).toBe(0);
    for (const to of CLOSE_TOLD) expect(w.smtp.countFor(to)).toBe(1);
    expect((await w.quick(['check', 'voeux-2027'])).exitCode).toBe(0);
    expect((await w.quick(['status'])).stdout).toMatch(/✔ voeux-2027 New Year e-card {2}closed/);
  });
});
