import { afterEach, describe, expect, it } from 'vitest';
import type { Choice } from '../../src/context.js';
import { smtpError } from '../helpers/smtp.js';
import { scriptedPrompter } from '../helpers/workspace.js';
import { counts, once, PROMO_RECIPIENTS, workspace, type Workspace } from '../fixtures/close-workspace.js';

let ws: Workspace;
afterEach(() => ws?.close());

const checked = (choices: Choice[]) => choices.filter((c) => c.checked && !c.disabled).map((c) => c.value);

describe('notify close, interactive (an injected prompter in place of the terminal)', () => {
  it('asks actions, parties (always party locked), a reason for each removed party, summary, details, then confirmation', async () => {
    ws = await workspace();
    const seen: Record<string, Choice[]> = {};
    const asked: string[] = [];
    const prompter = scriptedPrompter(
      [
        { checkbox: (choices) => ((seen.actions = choices), checked(choices)) },
        { checkbox: (choices) => ((seen.parties = choices), checked(choices).filter((id) => id !== 'sales')) },
        { input: 'told at the weekly sales meeting' },
        { input: 'New prices from 1 July' },
        { input: '2027-07-01' },
        { editor: 'Customers will see the **new prices** in their next invoice.' },
        { select: 'send' },
      ],
      asked,
    );
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(asked).toHaveLength(7);
    expect(asked[1]).toMatch(/Who must be told/);
    expect(asked[2]).toBe('Why does Sales not need to be told? (recorded in the log)');
    expect(asked[6]).toBe('Send 3 messages now?');

    // The project's actions come pre-checked.
    expect(seen.actions.map((c) => [c.value, Boolean(c.checked)])).toEqual([['customer-email', false], ['pricing', true]]);
    // Always first and locked, then suggested (checked, with their reason), then the others (unchecked).
    const parties = Object.fromEntries(seen.parties.map((c) => [c.value, c]));
    expect(seen.parties.map((c) => c.value)).toEqual(['boss', 'support', 'sales', 'legal']);
    expect(parties.boss).toMatchObject({ checked: true, group: 'always informed' });
    expect(parties.boss.disabled).toBeTruthy();
    expect(parties.support).toMatchObject({ checked: true, disabled: false, group: 'suggested by the rules' });
    expect(parties.support.name).toContain('affected_by: pricing');
    expect(parties.legal).toMatchObject({ checked: false, group: 'others' });

    expect(counts(ws.smtp)).toEqual(once(['marie@acme.test', 'support@acme.test', 'boss@acme.test']));
    const marie = ws.smtp.received.find((m) => m.to[0] === 'marie@acme.test')!;
    expect(marie.raw).toContain('new prices');
    expect(marie.raw).toMatch(/^X-Notify-Parties: support$/m);

    const events = ws.events();
    expect(events[0]).toMatchObject({ event: 'close.planned', actions: ['pricing'], parties: ['support', 'boss'], skipped: [{ party: 'sales', reason: 'told at the weekly sales meeting' }], summary: 'New prices from 1 July', details: 'Customers will see the **new prices** in their next invoice.' });
    expect(events).toContainEqual(expect.objectContaining({ event: 'party.skipped', party: 'sales', reason: 'told at the weekly sales meeting' }));
    expect(events.at(-1)).toMatchObject({ event: 'project.closed', notified: ['support', 'boss'], skipped: [{ party: 'sales', reason: 'told at the weekly sales meeting' }] });
  });

  it('an always party unticked in the checkbox is told anyway', async () => {
    ws = await workspace();
    const prompter = scriptedPrompter([
      { checkbox: checked },
      { checkbox: () => ['support', 'sales'] },
      { input: 'x' },
      { input: '' },
      { editor: '' },
      { select: 'send' },
    ]);
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(counts(ws.smtp)).toEqual(once(PROMO_RECIPIENTS));
  });

  it('a party no rule suggests can be ticked and is told, no reason asked', async () => {
    ws = await workspace();
    const asked: string[] = [];
    const prompter = scriptedPrompter([{ checkbox: checked }, { checkbox: (choices) => [...checked(choices), 'legal'] }, { input: 'x' }, { input: '' }, { editor: '' }, { select: 'send' }], asked);
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(asked.filter((q) => q.startsWith('Why'))).toEqual([]);
    expect(counts(ws.smtp)).toEqual(once([...PROMO_RECIPIENTS, 'legal@acme.test']));
    expect(ws.events()[0]).toMatchObject({ parties: ['support', 'sales', 'legal', 'boss'], skipped: [] });
  });

  it('cancelling at the confirmation sends and records nothing', async () => {
    ws = await workspace();
    const prompter = scriptedPrompter([{ checkbox: checked }, { checkbox: checked }, { input: 'x' }, { input: '' }, { editor: '' }, { select: 'cancel' }]);
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not sent: cancelled at the confirmation/);
    expect(ws.smtp.received).toEqual([]);
    expect(ws.logExists()).toBe(false);
  });

  it('an empty reason for a removed party is refused', async () => {
    ws = await workspace();
    const prompter = scriptedPrompter([{ checkbox: checked }, { checkbox: () => ['support'] }, { input: '   ' }]);
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/skip reason must be one non-empty line/);
    expect(ws.smtp.received).toEqual([]);
  });

  it('a rerun after a failure asks nothing already decided: only whether to send what is missing', async () => {
    let reject = true;
    ws = await workspace({ onRcpt: (a) => (reject && a === 'boss@acme.test' ? smtpError(550, 'no such user') : undefined) });
    const first = await ws.run(['close', 'promo'], {
      interactive: true,
      prompter: scriptedPrompter([{ checkbox: checked }, { checkbox: checked }, { input: 'New prices' }, { input: '' }, { editor: '' }, { select: 'send' }]),
    });
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('boss@acme.test: failed (550 no such user)');
    expect(first.stderr).toContain('✖ boss@acme.test [boss] 550 no such user');

    reject = false;
    const asked: string[] = [];
    const second = await ws.run(['close', 'promo'], { interactive: true, prompter: scriptedPrompter([{ select: 'send' }], asked) });
    expect(second.code, second.stderr).toBe(0);
    expect(asked).toEqual(['Send 1 message now?']);
    expect(counts(ws.smtp)).toEqual(once(PROMO_RECIPIENTS));
  });

  it('without any way to send, says so before asking a single question', async () => {
    ws = await workspace();
    const asked: string[] = [];
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter: scriptedPrompter([], asked), env: { NOTIFY_SMTP_URL: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no SMTP server is configured/);
    expect(asked).toEqual([]);
    expect(ws.smtp.received).toHaveLength(0);
  });
});

