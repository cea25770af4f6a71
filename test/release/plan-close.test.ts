import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLogEvents, runNotify, scriptedPrompter, spawnNotify } from '../helpers/workspace.js';
import { workspaceForEach } from '../fixtures/close-workspace.js';
import { CONTACTS, RELEASE_MAP } from './repo.js';

const PLAN = '.notify/plans/spring.md';
const ALL = Object.values(CONTACTS).flat();

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('notify plan, then close from the plan', () => {
  const ws = workspaceForEach(RELEASE_MAP);

  const planFile = () => path.join(ws.dir, PLAN);
  const editPlan = (from: string | RegExp, to: string) => fs.writeFileSync(planFile(), fs.readFileSync(planFile(), 'utf8').replace(from, to));

  it('a non-interactive close sends exactly what the plan says, once per recipient', async () => {
    fs.writeFileSync(path.join(ws.dir, 'details.md'), 'Prices **go up** on 1 April.\n');
    const plan = await runNotify(['plan', 'spring', '--party', 'ops', '--action', 'customer-email', '--action', 'pricing', '--skip', 'legal=reviewed the prices in January', '--summary', 'Spring release: new prices', '--details-file', 'details.md', '--yes'], { cwd: ws.dir });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toBe(`${PLAN}\n`);
    const text = fs.readFileSync(planFile(), 'utf8');
    expect(text).toContain('summary: "Spring release: new prices"');
    expect(text).toMatch(/skipped:\n {2}- party: legal\n {4}reason: reviewed the prices in January\n/);
    expect(text.split('---\n')[2].trim()).toBe('Prices **go up** on 1 April.');
    expect(ws.smtp.received).toHaveLength(0);

    const close = await spawnNotify(['close', 'spring', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(close.exitCode, close.stderr).toBe(0);
    expect(close.stderr).toContain(`Using the plan ${PLAN}`);
    const told = [...CONTACTS.support, ...CONTACTS.ops, ...CONTACTS.board];
    for (const a of ALL) expect(ws.smtp.countFor(a), a).toBe(told.includes(a) ? 1 : 0);
    expect(ws.smtp.received).toHaveLength(told.length);
    expect(ws.smtp.received.every((m) => m.subject.includes('Spring release'))).toBe(true);
    expect(ws.smtp.received.every((m) => m.raw.includes('go up'))).toBe(true);

    const events = readLogEvents(ws.dir);
    const planned = events.find((e) => e.event === 'close.planned');
    expect(planned).toMatchObject({ parties: ['support', 'ops', 'board'], actions: ['customer-email', 'pricing'], skipped: [{ party: 'legal', reason: 'reviewed the prices in January' }], summary: 'Spring release: new prices' });
    expect(events.at(-1)).toMatchObject({ event: 'project.closed', notified: ['support', 'ops', 'board'] });

    // Running it again sends nothing more: the log, not the plan, says it is done.
    const again = await spawnNotify(['close', 'spring', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(again.exitCode).toBe(0);
    expect(ws.smtp.received).toHaveLength(told.length);
  });

  it('a hand edit to the plan is what gets sent', async () => {
    expect((await runNotify(['plan', 'spring'], { cwd: ws.dir })).code).toBe(0);
    editPlan('  - board # always\n', '  - board # always\n  - legal\n');
    const close = await runNotify(['close', 'spring', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(close.code, close.stderr).toBe(0);
    expect(ws.smtp.received.map((m) => m.to[0]).sort()).toEqual([...CONTACTS.support, ...CONTACTS.legal, ...CONTACTS.board].sort());
  });

  it('without a terminal, a close from the plan still needs --yes (exit 2, nothing sent)', async () => {
    await runNotify(['plan', 'spring'], { cwd: ws.dir });
    const r = await spawnNotify(['close', 'spring'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect(ws.smtp.received).toHaveLength(0);
    expect(readLogEvents(ws.dir)).toEqual([]);
  });

  it('flags that decide are refused when a plan decides (exit 2, nothing sent)', async () => {
    await runNotify(['plan', 'spring'], { cwd: ws.dir });
    const r = await runNotify(['close', 'spring', '--party', 'legal', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--party: the plan ${PLAN} already decides this close`);
    expect(ws.smtp.received).toHaveLength(0);
  });

  // The first with the built CLI (its exit code and stderr line); the others check the plan's
  // reading in-process.
  it.each([
    ['an unknown party (the built CLI)', '  - board # always\n', '  - board # always\n  - suport\n', '- suport', 5, 'unknown party "suport" (did you mean "support"?)', true],
    ['an unknown action', 'actions: [customer-email]', 'actions: [customer-email, pricng]', 'actions:', 27, 'unknown action "pricng" (did you mean "pricing"?)', false],
    ['a missing always party', '  - board # always\n', '', 'parties:', 1, 'the plan leaves out "board" (Board), who is informed of every closure: add it under parties', false],
    ['a rule-selected party neither listed nor skipped', '  - support # affected_by: customer-email\n', '', 'parties:', 1, 'the plan leaves out "support" (affected_by: customer-email): add it under parties, or under skipped with a reason', false],
    ['a skipped always party', 'skipped: []', 'skipped:\n  - party: board\n    reason: busy', '- party: board', 12, '"Board" (board) is informed of every closure and cannot be skipped', false],
  ])('a plan with %s is an error at its file:line, exit 2, nothing sent', async (_what, from, to, needle, col, message, binary) => {
    await runNotify(['plan', 'spring'], { cwd: ws.dir });
    editPlan(from, to);
    const line = lineOf(fs.readFileSync(planFile(), 'utf8'), needle);
    expect(line).toBeGreaterThan(1);
    for (const args of [['close', 'spring', '--yes'], ['check', 'spring']]) {
      const env = { NOTIFY_SMTP_URL: ws.smtp.url };
      const r = binary ? await spawnNotify(args, { cwd: ws.dir, env }) : await runNotify(args, { cwd: ws.dir, env }).then((x) => ({ exitCode: x.code, stderr: x.stderr }));
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${PLAN}:${line}:${col}: ${message}`);
    }
    expect(ws.smtp.received).toHaveLength(0);
    expect(readLogEvents(ws.dir)).toEqual([]);
  });

  it('a plan for another project id, or without front matter, is an error naming the file', async () => {
    await runNotify(['plan', 'spring'], { cwd: ws.dir });
    editPlan('project: spring', 'project: autumn');
    let r = await runNotify(['close', 'spring', '--yes'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${PLAN}:\\d+:10: project "autumn" does not match the file name spring.md`));
    fs.writeFileSync(planFile(), 'just some notes\n');
    r = await runNotify(['close', 'spring', '--yes'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${PLAN}:1:1: a plan starts with its decisions between two "---" lines`);
  });

  it('interactively, close shows the plan and asks before sending; "cancel" sends and records nothing', async () => {
    await runNotify(['plan', 'spring', '--summary', 'Spring is here'], { cwd: ws.dir });
    const planText = fs.readFileSync(planFile(), 'utf8');
    const asked: string[] = [];
    let r = await runNotify(['close', 'spring'], { cwd: ws.dir, interactive: true, env: { NOTIFY_SMTP_URL: ws.smtp.url }, prompter: scriptedPrompter([{ select: (options) => (expect(options.map((o) => o.value)).toEqual(['send', 'cancel']), 'cancel') }], asked) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not sent: cancelled at the confirmation; the plan is unchanged');
    expect(fs.readFileSync(planFile(), 'utf8')).toBe(planText);
    expect(asked).toEqual(['Send 2 messages now?']);
    expect(r.stderr).toContain('Close spring: Spring is here');
    expect(r.stderr).toContain('parties: support, board');
    expect(ws.smtp.received).toHaveLength(0);
    r = await runNotify(['close', 'spring'], { cwd: ws.dir, interactive: true, env: { NOTIFY_SMTP_URL: ws.smtp.url }, prompter: scriptedPrompter([{ select: 'send' }]) });
    expect(r.code, r.stderr).toBe(0);
    expect(ws.smtp.received).toHaveLength(2);
  });

  it('an interactive close without a plan writes one once confirmed, matching the log', async () => {
    const asked: string[] = [];
    const answers = scriptedPrompter(
      [
        { checkbox: () => ['customer-email'] },
        { checkbox: (choices) => choices.filter((c) => c.checked && !c.disabled && c.value !== 'support').map((c) => c.value).concat('ops') },
        { input: 'they wrote the mailing' },
        { input: 'Spring mailing sent' },
        { input: '2027-03-01' },
        { editor: '## What to say\n<!-- a hint -->\nYes, it is our spring mailing.\n\n## For Ops (ops)\nNothing to do.\n' },
        { select: 'send' },
      ],
      asked,
    );
    const r = await runNotify(['close', 'spring'], { cwd: ws.dir, interactive: true, env: { NOTIFY_SMTP_URL: ws.smtp.url }, prompter: answers });
    expect(r.code, `${r.stderr}\n${asked.join('\n')}`).toBe(0);
    expect(r.stderr).toContain(`The decisions are on record in ${PLAN}`);
    const text = fs.readFileSync(planFile(), 'utf8');
    expect(text).toMatch(/parties:\n {2}- ops\n {2}- board # always\nskipped:\n {2}- party: support\n {4}reason: they wrote the mailing\nsummary: Spring mailing sent\neffective: 2027-03-01\nwhat_to_say: Yes, it is our spring mailing.\nnotes:\n {2}ops: Nothing to do.\n/);
    expect(readLogEvents(ws.dir).find((e) => e.event === 'close.planned')).toMatchObject({ parties: ['ops', 'board'], skipped: [{ party: 'support', reason: 'they wrote the mailing' }], effective: '2027-03-01', what_to_say: 'Yes, it is our spring mailing.', notes: { ops: 'Nothing to do.' } });
    expect(ws.smtp.received.map((m) => m.to[0]).sort()).toEqual(['board@example.test', 'ops@example.test']);
  });

  it('cancelling at the confirmation leaves a draft plan, never a reviewed one', async () => {
    const answers = scriptedPrompter([{ checkbox: () => ['customer-email'] }, { checkbox: (c) => c.filter((x) => x.checked).map((x) => x.value) }, { input: 'Spring' }, { input: '' }, { editor: '' }, { select: 'cancel' }]);
    const r = await runNotify(['close', 'spring'], { cwd: ws.dir, interactive: true, env: { NOTIFY_SMTP_URL: ws.smtp.url }, prompter: answers });
    expect(r.code).toBe(2);
    expect(fs.readFileSync(planFile(), 'utf8')).toMatch(/^---\n(#.*\n)+draft: true\n/);
    // Without a terminal, a draft is not something to send.
    const again = await runNotify(['close', 'spring', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${PLAN} is a draft plan (the answers of a cancelled close), not a reviewed one`);
    expect(ws.smtp.received).toHaveLength(0);
  });

  it('interactively, plan asks the close questions, writes the answers and sends nothing; replacing asks first', async () => {
    const asked: string[] = [];
    const answers = scriptedPrompter(
      [
        { checkbox: () => ['customer-email', 'pricing'] },
        { checkbox: (c) => c.filter((x) => x.checked && !x.disabled && x.value !== 'legal').map((x) => x.value) },
        { input: 'prices were reviewed with them' },
        { input: 'Spring prices and mailing' },
        { input: '' },
        { editor: 'Details **here**' },
      ],
      asked,
    );
    let r = await runNotify(['plan', 'spring'], { cwd: ws.dir, interactive: true, env: { NOTIFY_SMTP_URL: ws.smtp.url }, prompter: answers });
    expect(r.code, `${r.stderr}\n${asked.join('\n')}`).toBe(0);
    const text = fs.readFileSync(planFile(), 'utf8');
    expect(text).toContain('actions: [customer-email, pricing]\n');
    expect(text).toMatch(/skipped:\n {2}- party: legal\n {4}reason: prices were reviewed with them\n/);
    expect(text.endsWith('---\n\nDetails **here**\n')).toBe(true);
    expect(ws.smtp.received).toHaveLength(0);
    expect(readLogEvents(ws.dir)).toEqual([]);

    r = await runNotify(['plan', 'spring'], { cwd: ws.dir, interactive: true, prompter: scriptedPrompter([{ confirm: false }], asked) });
    expect(r.code).toBe(2);
    expect(asked.at(-1)).toBe(`${PLAN} already exists. Replace it?`);
    expect(fs.readFileSync(planFile(), 'utf8')).toBe(text);
  });

  it('plan refuses to replace a plan without --yes, and to change a close already in the log', async () => {
    await runNotify(['plan', 'spring'], { cwd: ws.dir });
    let r = await runNotify(['plan', 'spring', '--summary', 'other'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${PLAN} already exists: run with --yes to replace it`);
    expect(fs.readFileSync(planFile(), 'utf8')).toContain('summary: The spring release is out');
    r = await runNotify(['plan', 'spring', '--summary', 'other', '--yes'], { cwd: ws.dir });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(planFile(), 'utf8')).toContain('summary: other');

    expect((await runNotify(['close', 'spring', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } })).code).toBe(0);
    r = await runNotify(['plan', 'spring', '--yes'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the close of spring was decided on .* and is in the log; a plan can no longer change it/);
  });
});
