/**
 * Hostile: a move of the date killed mid-send (SIGKILL of the real binary), then rerun with
 * other flags before the right ones. Every refusal sends nothing and logs nothing; the rerun that
 * is allowed tells each person once, and every invitation of the move is the same update.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAtMailFrom, spawnCli } from '../faults/fixture.js';
import { invitationOf } from '../due/mime-parts.js';
import { amendWorld, CLOSE_TOLD, errorLines, MAP, tally, type AmendWorld } from './fixture.js';

// support asks for invitations; the change takes effect on 10 January 2030, far ahead of any deadline.
const INVITING = MAP.replace('    affected_by: [customer-email]\n', '    affected_by: [customer-email]\n    invite: true\n').replace('    summary: "E-card sent to 40,000 customers"\n', '    summary: "E-card sent to 40,000 customers"\n    effective: 2030-01-10\n');

let world: AmendWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('a move killed mid-send, rerun with other flags', () => {
  it('refuses another date, a cancellation and another reason (nothing sent or logged), then finishes the move as recorded, each person once, SEQUENCE 1 everywhere', async () => {
    expect(INVITING).toContain('invite: true');
    const killer = killAtMailFrom(2);
    const w = (world = await amendWorld({ onMailFrom: killer.onMailFrom }, INVITING));
    expect((await w.quick(['close', 'voeux-2027', '--yes'])).exitCode).toBe(0);
    const before = w.smtp.received.length;

    const move = ['amend', 'voeux-2027', '--correction', 'The e-card goes out a week later', '--effective', '2030-01-17', '--reason', 'the printer is late', '--yes'];
    const child = spawnCli(move, w.dir, { NOTIFY_SMTP_URL: w.smtp.url });
    killer.arm(child);
    expect((await child).signal).toBe('SIGKILL');
    expect(w.since(before)).toHaveLength(1);
    expect(w.events('close.amended')).toMatchObject([{ kind: 'correction', effective: '2030-01-17' }]);

    const lines = w.events().length;
    for (const other of [
      ['amend', 'voeux-2027', '--correction', 'The e-card goes out two weeks later', '--effective', '2030-01-24', '--reason', 'the printer is late', '--yes'],
      ['amend', 'voeux-2027', '--correction', 'The e-card goes out a week later', '--effective', '2030-01-24', '--reason', 'the printer is late', '--yes'],
      ['amend', 'voeux-2027', '--cancel', '--reason', 'the printer gave up', '--yes'],
      ['amend', 'voeux-2027', '--correction', 'The e-card goes out a week later', '--effective', '2030-01-17', '--reason', 'another reason', '--yes'],
    ]) {
      const r = await w.run(other);
      expect(r.exitCode, `${other.join(' ')}\n${r.stderr}`).toBe(2);
      expect(errorLines(r.stderr), r.stderr).toHaveLength(1);
      expect(r.stderr).toContain('is still in progress');
      expect(w.since(before)).toHaveLength(1);
      expect(w.events()).toHaveLength(lines);
    }

    // The same flags resume it; the message killed mid-send is unknown until --resend-unknown.
    const rerun = await w.run(move);
    expect(rerun.exitCode, rerun.stderr).toBe(1);
    expect(rerun.stderr).toContain('Resuming the amendment of voeux-2027');
    const resend = await w.run(['amend', 'voeux-2027', '--yes', '--resend-unknown']);
    expect(resend.exitCode, resend.stderr).toBe(0);

    const corrections = w.since(before);
    expect(tally(corrections)).toEqual(Object.fromEntries(CLOSE_TOLD.map((a) => [a, 1])));
    expect(w.events('close.amended')).toHaveLength(1);
    const invited = corrections.filter((m) => ['marie@acme.test', 'support@acme.test'].includes(m.to[0])).map((m) => invitationOf(m.raw));
    expect(invited).toHaveLength(2);
    for (const i of invited) expect(i).toMatchObject({ method: 'REQUEST', uid: 'notify.voeux-2027@acme.test', sequence: 1, start: '2030-01-17' });
    const check = await w.quick(['check', 'voeux-2027', '--json']);
    expect(check.exitCode, check.stdout).toBe(0);
  });
});
