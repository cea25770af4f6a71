/**
 * A cancellation killed mid-send (SIGKILL of the real binary): the rerun sends the rest, each
 * person receives the cancellation once, and every invitation cancelled carries the same UID
 * and SEQUENCE as the rest of them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAtMailFrom, spawnCli } from '../faults/fixture.js';
import { invitationOf } from '../due/mime-parts.js';
import { amendWorld, CLOSE_TOLD, MAP, tally, type AmendWorld } from './fixture.js';

// support asks for invitations; the change takes effect on 10 January 2030, far ahead of any deadline.
const INVITING = MAP.replace('    affected_by: [customer-email]\n', '    affected_by: [customer-email]\n    invite: true\n').replace('    summary: "E-card sent to 40,000 customers"\n', '    summary: "E-card sent to 40,000 customers"\n    effective: 2030-01-10\n');

let world: AmendWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('a cancellation killed mid-send', () => {
  it('resumes without sending anyone twice, with METHOD:CANCEL, the first notice\'s UID and SEQUENCE 1 in every invitation', async () => {
    expect(INVITING).toContain('invite: true');
    expect(INVITING).toContain('effective: 2030-01-10');
    const killer = killAtMailFrom(2);
    const w = (world = await amendWorld({ onMailFrom: killer.onMailFrom }, INVITING));
    expect((await w.quick(['close', 'voeux-2027', '--yes'])).exitCode).toBe(0);
    const uid = invitationOf(w.smtp.received.find((m) => m.to[0] === 'support@acme.test')!.raw)!.uid;
    const before = w.smtp.received.length;

    const child = spawnCli(['amend', 'voeux-2027', '--cancel', '--reason', 'the campaign is called off', '--yes'], w.dir, { NOTIFY_SMTP_URL: w.smtp.url });
    killer.arm(child);
    expect((await child).signal).toBe('SIGKILL');
    expect(w.since(before)).toHaveLength(1);
    expect(w.events('close.amended').map((e) => e.kind)).toEqual(['cancel']);
    const check = await w.quick(['check', 'voeux-2027']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain('(a cancellation to everyone told)');
    // Each line says which message it is about: the cancellation is pending, the close was told.
    expect(check.stdout).toMatch(/^ {2}pending \(cancellation\): \w+$/m);
    expect(check.stdout).toMatch(/^ {2}\S+ told of the close: \w+$/m);
    expect(check.stdout).not.toMatch(/^ {2}pending: /m);

    // The rerun resumes the cancellation as recorded: the rest is sent; the one killed mid-send is unknown.
    const rerun = await w.run(['amend', 'voeux-2027', '--yes']);
    expect(rerun.exitCode, rerun.stderr).toBe(1);
    expect(rerun.stderr).toContain('Resuming the amendment of voeux-2027');
    expect(rerun.stderr).toContain('--resend-unknown');
    expect(w.since(before)).toHaveLength(2);
    const resend = await w.run(['amend', 'voeux-2027', '--yes', '--resend-unknown']);
    expect(resend.exitCode, resend.stderr).toBe(0);

    const cancellations = w.since(before);
    expect(tally(cancellations)).toEqual(Object.fromEntries(CLOSE_TOLD.map((a) => [a, 1])));
    expect(w.events('close.amended')).toHaveLength(1);
    for (const m of cancellations) expect(m.subject).toBe('Cancelled: [Acme] E-card sent to 40,000 customers');
    const invited = cancellations.filter((m) => ['marie@acme.test', 'support@acme.test'].includes(m.to[0])).map((m) => invitationOf(m.raw));
    expect(invited).toHaveLength(2);
    for (const i of invited) expect(i).toMatchObject({ method: 'CANCEL', uid, sequence: 1, status: 'CANCELLED', start: '2030-01-10' });
    expect(invitationOf(cancellations.find((m) => m.to[0] === 'boss@acme.test')!.raw)).toBeUndefined();
    const done = await w.quick(['check', 'voeux-2027', '--json']);
    expect(done.exitCode).toBe(0);
    expect(JSON.parse(done.stdout).cancelled).toMatchObject({ reason: 'the campaign is called off' });
  });
});
