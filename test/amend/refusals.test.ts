/**
 * Every refusal of amend, and every flag a close on a recorded project would have ignored: exit 2,
 * one clear error line that says what is recorded and where to go, and nothing sent or logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpError } from '../helpers/smtp.js';
import { amendWorld, errorLines, type AmendWorld } from './fixture.js';

/** Runs the command and checks it was refused: exit 2, one error line, no mail, no new log line. */
async function refused(w: AmendWorld, args: string[], how: 'binary' | 'in-process' = 'in-process'): Promise<string> {
  const mail = w.smtp.received.length;
  const lines = w.events().length;
  const r = how === 'binary' ? await w.run(args) : await w.quick(args);
  expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(2);
  expect(errorLines(r.stderr), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\bat .+\.js:\d+/); // no stack trace
  expect(w.smtp.received.length).toBe(mail);
  expect(w.events().length).toBe(lines);
  return r.stderr;
}

describe('on a closed project', () => {
  let w: AmendWorld;
  beforeAll(async () => {
    w = await amendWorld();
    expect((await w.quick(['close', 'voeux-2027', '--yes'])).exitCode).toBe(0);
  }, 60_000);
  afterAll(() => w.close());

  it('close --party P is refused and points at notify amend (it used to say "nothing to send" and exit 0)', async () => {
    const err = await refused(w, ['close', 'voeux-2027', '--party', 'marketing', '--yes'], 'binary');
    expect(err).toMatch(/voeux-2027: the decisions were recorded on .+ and voeux-2027 was closed on .+, and this run's --party differs from them; nothing was sent/);
    expect(err).toContain('the parties recorded are support, boss; to tell marketing as well: notify amend voeux-2027 --party marketing --reason "..."');
  });

  it('close --summary, --title, --action, --details-file name what is recorded', async () => {
    const err = await refused(w, ['close', 'voeux-2027', '--summary', 'Another story', '--title', 'Other', '--action', 'customer-email', '--yes']);
    expect(err).toContain("this run's --summary, --title differ from them");
    expect(err).toContain('the summary recorded is "E-card sent to 40,000 customers"; to send everyone told a correction: notify amend voeux-2027 --correction');
    expect(err).toContain('the title recorded is "New Year e-card"');
  });

  it('close --skip of a party that was told is refused, naming its line in the map', async () => {
    const err = await refused(w, ['close', 'voeux-2027', '--skip', 'support=not them', '--yes']);
    expect(err).toContain('support is recorded as a party to tell');
    expect(err).toContain('fix it in notify.yaml:11');
  });

  it('amend: an unknown project (did you mean), a party already told (suggests --correction), an unknown party', async () => {
    expect(await refused(w, ['amend', 'voeux-2072', '--party', 'marketing', '--reason', 'x', '--yes'], 'binary')).toContain('unknown project "voeux-2072" (did you mean "voeux-2027"?)');
    const told = await refused(w, ['amend', 'voeux-2027', '--party', 'support', '--reason', 'x', '--yes']);
    expect(told).toContain('--party support: "Customer support" was already told when voeux-2027 was closed');
    expect(told).toContain('notify amend voeux-2027 --correction');
    expect(await refused(w, ['amend', 'voeux-2027', '--party', 'marketting', '--reason', 'x', '--yes'])).toContain('--party marketting: no such party in the map (did you mean "marketing"?)');
  });

  it('amend: missing --reason, nothing to amend, --party with --correction, --details-file alone, no --yes without a terminal', async () => {
    expect(await refused(w, ['amend', 'voeux-2027', '--party', 'marketing', '--yes'])).toContain('give --reason');
    expect(await refused(w, ['amend', 'voeux-2027', '--yes'])).toContain('what should be amended? give --party ID for a party that was left out, or --correction TEXT');
    expect(await refused(w, ['amend', 'voeux-2027', '--party', 'marketing', '--correction', 'x', '--reason', 'y', '--yes'])).toContain('give --party or --correction, not both');
    expect(await refused(w, ['amend', 'voeux-2027', '--party', 'marketing', '--details-file', 'x.md', '--reason', 'y', '--yes'])).toContain('--details-file goes with --correction');
    expect(await refused(w, ['amend', 'voeux-2027', '--party', 'marketing', '--reason', 'y'])).toContain('confirmation needed: run with --yes');
    expect(await refused(w, ['amend', 'voeux-2027', '--correction', 'two\nlines', '--reason', 'y', '--yes'])).toContain('--correction contains a line break');
  });
});

describe('on a project that is not closed', () => {
  it('amend refuses a project never closed, and one whose close is in progress (pointing at notify close)', async () => {
    const w = await amendWorld({ onRcpt: (to) => (to === 'legal@acme.test' ? smtpError(550, 'no such user') : undefined) });
    try {
      expect(await refused(w, ['amend', 'voeux-2027', '--party', 'marketing', '--reason', 'x', '--yes'])).toContain('voeux-2027 has not been closed: there is nothing to amend');
      // legal's only address is refused for good: the close stays open.
      const close = await w.quick(['close', 'voeux-2027', '--party', 'legal', '--yes']);
      expect(close.exitCode, close.stderr).toBe(1);
      const err = await refused(w, ['amend', 'voeux-2027', '--party', 'marketing', '--reason', 'x', '--yes']);
      expect(err).toContain('voeux-2027 is not closed yet');
      expect(err).toContain('finish it first with `notify close voeux-2027`');
    } finally {
      await w.close();
    }
  });
});

describe('--skip on a resumed close: only for a party whose every address was refused for good', () => {
  it("the 5xx advice names the contact's map line and the skip; the skip is recorded and lets the project close; other skips are refused", async () => {
    const w = await amendWorld({ onRcpt: (to) => (to === 'legal@acme.test' ? smtpError(550, 'no such user') : undefined) });
    try {
      const close = await w.run(['close', 'voeux-2027', '--party', 'legal', '--yes']);
      expect(close.exitCode, close.stderr).toBe(1);
      // Running again would fail the same way: the advice says what to fix, and where.
      expect(close.stderr).toContain('legal@acme.test was refused for good (550 no such user), so running again fails the same way: correct the address at notify.yaml:21:16');
      expect(close.stderr).toContain('or, if legal need not be told after all (every address of it was refused): notify close voeux-2027 --skip legal="why"');
      expect(close.stderr).not.toContain('run the same command again');
      const sent = w.smtp.received.length;

      // support was told: it cannot be skipped now (a wrong address is fixed in the map).
      const err = await refused(w, ['close', 'voeux-2027', '--skip', 'support=address is dead', '--yes']);
      expect(err).toContain('support is recorded as a party to tell, and can be skipped now only once every address of it has been refused permanently (5xx); for a wrong address, fix it in notify.yaml:11');

      const skip = await w.run(['close', 'voeux-2027', '--skip', 'legal=address is dead', '--yes']);
      expect(skip.exitCode, skip.stderr).toBe(0);
      expect(skip.stderr).toContain('Skipping legal: every address of it was refused; recorded with the reason "address is dead"');
      expect(skip.stdout).toContain('voeux-2027 is closed');
      expect(skip.stdout).toContain('– legal: skipped (address is dead)');
      expect(w.events('party.skipped')).toEqual([expect.objectContaining({ party: 'legal', reason: 'address is dead' })]);
      expect(w.events('project.closed')).toEqual([expect.objectContaining({ notified: ['support', 'boss'], skipped: [{ party: 'legal', reason: 'address is dead' }] })]);
      expect(w.smtp.received.length).toBe(sent);
      expect((await w.quick(['check', 'voeux-2027'])).exitCode).toBe(0);
    } finally {
      await w.close();
    }
  });
});
