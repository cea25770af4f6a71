/**
 * The confirmation of a close: send, edit (back to the questions, every answer kept) or cancel
 * (the default; the answers kept as a draft plan). Whatever stops a close before its send, the
 * loopback SMTP server receives nothing and the log stays empty. In-process with a scripted
 * prompter, then the real prompter over streams, then the built binary on a pseudo-terminal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { Choice, Option, Prompter } from '../../src/context.js';
import { inquirerPrompter } from '../../src/adapters/terminal/prompter.js';
import { counts, once, workspace, type Workspace } from '../fixtures/close-workspace.js';
import { BIN, runNotify, scriptedPrompter } from '../helpers/workspace.js';

let ws: Workspace;
afterEach(() => ws?.close());

const DRAFT = '.notify/plans/promo.md';
const draftFile = () => path.join(ws.dir, DRAFT);
const checked = (choices: Choice[]) => choices.filter((c) => c.checked && !c.disabled).map((c) => c.value);
const DETAILS = 'Customers will see the **new prices** in their next invoice.';

/** The answers of a fresh close of "promo": sales removed (with a reason), a summary, details in the editor. */
const FIRST_ANSWERS = [
  { checkbox: checked },
  { checkbox: (choices: Choice[]) => checked(choices).filter((id) => id !== 'sales') },
  { input: 'told at the weekly sales meeting' },
  { input: 'New prices from 1 July' },
  { input: '2027-07-01' },
  { editor: DETAILS },
];

/** Nothing went out and nothing was recorded. */
function nothingSent(): void {
  expect(ws.smtp.received).toEqual([]);
  expect(ws.logExists()).toBe(false);
}

describe('the confirmation: send, edit or cancel', () => {
  it('offers the three answers with Cancel highlighted, so Enter alone never sends', async () => {
    ws = await workspace();
    let seen: { options: Option[]; initial?: string } | undefined;
    const prompter = scriptedPrompter([...FIRST_ANSWERS, { select: (options, initial) => ((seen = { options, initial }), 'send') }]);
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(seen?.options.map((o) => o.value)).toEqual(['send', 'edit', 'cancel']);
    expect(seen?.options[0].name).toBe('Send 3 messages');
    expect(seen?.initial).toBe('cancel');
    expect(counts(ws.smtp)).toEqual(once(['marie@acme.test', 'support@acme.test', 'boss@acme.test']));
  });

  it('cancel: exit 2, nothing sent or logged, every answer kept in a draft plan that close starts from', async () => {
    ws = await workspace();
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter: scriptedPrompter([...FIRST_ANSWERS, { select: 'cancel' }]) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`notify: not sent: cancelled at the confirmation; your answers are saved as a draft plan in ${DRAFT}\n  "notify close promo" will start from it\n`);
    nothingSent();
    const text = fs.readFileSync(draftFile(), 'utf8');
    expect(text).toMatch(/^---\n(#.*\n)+draft: true\nproject: promo\ntitle: Summer prices\nactions: \[pricing\]\nparties:\n {2}- support # affected_by: pricing\n {2}- boss # always\nskipped:\n {2}- party: sales\n {4}reason: told at the weekly sales meeting\nsummary: New prices from 1 July\neffective: 2027-07-01\ndecided_by: .+\n---\n\n/);
    expect(text.endsWith(`---\n\n${DETAILS}\n`)).toBe(true);

    // validate points at the draft; without a terminal, close refuses to send it.
    const validate = await ws.run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stderr + validate.stdout).toMatch(new RegExp(`${DRAFT}:\\d+:1: warning: a draft, not reviewed`));
    const unattended = await ws.run(['close', 'promo', '--yes']);
    expect(unattended.code).toBe(2);
    expect(unattended.stderr).toContain(`notify: ${DRAFT} is a draft plan (the answers of a cancelled close), not a reviewed one: nothing was sent`);
    nothingSent();

    // On a terminal, close asks again with every earlier answer filled in; the editor opens on them.
    const seen: Record<string, Choice[]> = {};
    const defaults: (string | undefined)[] = [];
    const asked: string[] = [];
    const again: Prompter = {
      ...scriptedPrompter(
        [
          { checkbox: (c) => ((seen.actions = c), checked(c)) },
          { checkbox: (c) => ((seen.parties = c), checked(c)) },
          { input: 'told at the weekly sales meeting' },
          { input: 'New prices from 1 July' },
          { input: '' },
          { select: 'send' },
        ],
        asked,
      ),
    };
    const input = again.input;
    again.input = (message, o) => (defaults.push(o?.default), input(message, o));
    // Saved as it opened: the details written earlier are kept.
    let opened = '';
    again.editor = async (message, initial) => (asked.push(message), (opened = initial ?? ''));
    const resumed = await ws.run(['close', 'promo'], { interactive: true, prompter: again });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Starting from the draft plan ${DRAFT}: your earlier answers are filled in.`);
    expect(checked(seen.actions)).toEqual(['pricing']);
    expect(checked(seen.parties)).toEqual(['support']);
    expect(defaults).toEqual(['told at the weekly sales meeting', 'New prices from 1 July', '2027-07-01']);
    expect(opened).toContain(`## Details\n<!-- Anything else, in Markdown. -->\n${DETAILS}\n`);
    expect(counts(ws.smtp)).toEqual(once(['marie@acme.test', 'support@acme.test', 'boss@acme.test']));
    expect(ws.smtp.received[0].raw).toContain('new prices');
    expect(ws.events()[0]).toMatchObject({ event: 'close.planned', parties: ['support', 'boss'], skipped: [{ party: 'sales', reason: 'told at the weekly sales meeting' }], summary: 'New prices from 1 July', details: DETAILS });
    // Sent: the draft became the plan on record.
    expect(fs.readFileSync(draftFile(), 'utf8')).not.toContain('draft: true');
  });

  it('edit: back to the questions with every answer as the default (flags included), then send what was changed', async () => {
    ws = await workspace();
    fs.writeFileSync(path.join(ws.dir, 'details.md'), 'From the file.\n');
    const round2: Record<string, unknown> = {};
    const asked: string[] = [];
    const base = scriptedPrompter(
      [
        // Round 1 is answered by the flags: only the confirmation is asked.
        { select: 'edit' },
        { checkbox: (c) => ((round2.actions = checked(c)), ['pricing']) },
        { checkbox: (c) => ((round2.parties = checked(c)), [...checked(c), 'legal'].filter((id) => id !== 'sales')) },
        { input: 'they set the prices' },
        { input: 'Summer prices, corrected' },
        { input: '' },
        { editor: 'From the editor.' },
        { select: 'send' },
      ],
      asked,
    );
    const prompter: Prompter = {
      ...base,
      input: (m, o) => ((round2[m] = o?.default), base.input(m, o)),
      editor: (m, initial) => ((round2.editor = initial), base.editor(m, initial)),
    };
    const r = await ws.run(['close', 'promo', '--action', 'pricing', '--party', 'support', '--summary', 'Summer prices', '--effective', '2027-07-01', '--details-file', 'details.md'], { interactive: true, prompter });
    expect(r.code, `${r.stderr}\n${asked.join('\n')}`).toBe(0);
    expect(asked[0]).toBe('Send 4 messages now?');
    expect(round2.actions).toEqual(['pricing']);
    expect(round2.parties).toEqual(['support', 'sales']);
    expect(round2['One-line summary of what changed (it goes into every message):']).toBe('Summer prices');
    expect(round2['When does the change reach the people it affects? (YYYY-MM-DD, or "YYYY-MM-DD HH:MM")']).toBe('2027-07-01');
    expect(round2.editor).toContain('## Details\n<!-- Anything else, in Markdown. -->\nFrom the file.\n');
    expect(asked.at(-1)).toBe('Send 4 messages now?');
    // The plan is shown again before the second confirmation; only the last answers are sent, once.
    expect(r.stderr.match(/^Close promo: /gm)).toHaveLength(2);
    expect(counts(ws.smtp)).toEqual(once(['marie@acme.test', 'support@acme.test', 'legal@acme.test', 'boss@acme.test']));
    expect(ws.smtp.received[0].raw).toContain('From the editor.');
    const planned = ws.events().filter((e) => e.event === 'close.planned');
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({ summary: 'Summer prices, corrected', parties: ['support', 'legal', 'boss'], skipped: [{ party: 'sales', reason: 'they set the prices' }], details: 'From the editor.' });
  });

  it('a reviewed plan that appeared meanwhile is never overwritten: the draft goes beside it', async () => {
    ws = await workspace();
    const reviewed = '---\nproject: promo\nactions: [pricing]\nparties: [support, sales, boss]\nskipped: []\nsummary: Reviewed\n---\n';
    // While the questions are answered, a reviewed plan arrives (a pull, another terminal).
    const prompter = scriptedPrompter([...FIRST_ANSWERS, { select: () => (fs.mkdirSync(path.dirname(draftFile()), { recursive: true }), fs.writeFileSync(draftFile(), reviewed), 'cancel') }]);
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('your answers are saved as a draft in .notify/plans/promo.draft.md, beside the reviewed plan .notify/plans/promo.md, which was left as it is');
    expect(fs.readFileSync(draftFile(), 'utf8')).toBe(reviewed);
    expect(fs.readFileSync(path.join(ws.dir, '.notify/plans/promo.draft.md'), 'utf8')).toContain('draft: true\n');
    nothingSent();
  });

  it('a resumed close offers send or cancel; cancel keeps what the log records and sends nothing', async () => {
    let reject = true;
    ws = await workspace({ onRcpt: (a) => (reject && a === 'boss@acme.test' ? Object.assign(new Error('no such user'), { responseCode: 550 }) : undefined) });
    expect((await ws.run(['close', 'promo', '--summary', 'New prices', '--yes'])).code).toBe(1);
    reject = false;
    const before = ws.smtp.received.length;
    let values: string[] = [];
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter: scriptedPrompter([{ select: (o) => ((values = o.map((x) => x.value)), 'cancel') }]) });
    expect(r.code).toBe(2);
    expect(values).toEqual(['send', 'cancel']);
    expect(r.stderr).toMatch(/not sent: cancelled at the confirmation; the decisions recorded on \S+ stand; run again to send/);
    expect(ws.smtp.received).toHaveLength(before);
    expect(fs.existsSync(draftFile())).toBe(false);
  });
});

describe('an interrupt before the send keeps the answers', () => {
  const abort = (name: string) => Object.assign(new Error('User force closed the prompt'), { name });

  it("Ctrl-C at the confirmation (the prompter's ExitPromptError): exit 130, a draft plan, nothing sent", async () => {
    ws = await workspace();
    const prompter = scriptedPrompter([...FIRST_ANSWERS]);
    prompter.select = async () => {
      throw abort('ExitPromptError');
    };
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`Not sent. Your answers are saved as a draft plan in ${DRAFT}; "notify close promo" will start from it.\n`);
    expect(fs.readFileSync(draftFile(), 'utf8')).toContain('draft: true\n');
    expect(fs.readFileSync(draftFile(), 'utf8')).toContain(DETAILS);
    nothingSent();
  });

  it('SIGTERM while the confirmation is asked (the question aborted): exit 143, a draft plan, nothing sent', async () => {
    ws = await workspace();
    const signals = new AbortController();
    const prompter = scriptedPrompter([...FIRST_ANSWERS]);
    prompter.select = async () => {
      signals.abort('SIGTERM');
      throw abort('AbortPromptError');
    };
    const r = await runNotify(['close', 'promo'], { cwd: ws.dir, interactive: true, prompter, signal: signals.signal, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('notify: interrupted by SIGTERM; nothing was sent or recorded');
    expect(fs.readFileSync(draftFile(), 'utf8')).toContain('summary: New prices from 1 July\n');
    nothingSent();
  });

  it('Ctrl-C during an edit keeps the last complete answers', async () => {
    ws = await workspace();
    const prompter = scriptedPrompter([...FIRST_ANSWERS, { select: 'edit' }, { checkbox: checked }, { checkbox: checked }]);
    const input = prompter.input;
    let calls = 0;
    prompter.input = async (m, o) => {
      if (++calls === 4) throw abort('ExitPromptError'); // the reason for sales, asked again (after the reason, the summary and the date)
      return input(m, o);
    };
    const r = await ws.run(['close', 'promo'], { interactive: true, prompter });
    expect(r.code).toBe(130);
    const text = fs.readFileSync(draftFile(), 'utf8');
    expect(text).toContain('reason: told at the weekly sales meeting\nsummary: New prices from 1 July\n');
    nothingSent();
  });
});

describe('the real prompter (inquirer over streams in place of a terminal)', () => {
  function terminal() {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (b: Buffer) => void (shown += b.toString()));
    /** Resolves once the prompt has drawn `text`: keys are typed only then. */
    const drawn = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (shown.includes(text) ? (output.off('data', check), resolve()) : undefined);
        output.on('data', check);
        check();
      });
    return { input, prompter: inquirerPrompter({ input, output }), drawn };
  }
  const OPTIONS: Option[] = [
    { value: 'send', name: 'Send 3 messages' },
    { value: 'edit', name: 'Edit the answers' },
    { value: 'cancel', name: 'Cancel' },
  ];

  it('Enter alone picks the highlighted answer, Cancel', async () => {
    const t = terminal();
    const answer = t.prompter.select('Send 3 messages now?', OPTIONS, 'cancel');
    await t.drawn('Send 3 messages now?');
    t.input.write('\r');
    expect(await answer).toBe('cancel');
  });

  it('the arrow keys move to Send', async () => {
    const t = terminal();
    const answer = t.prompter.select('Send 3 messages now?', OPTIONS, 'cancel');
    await t.drawn('Send 3 messages now?');
    t.input.write('\x1b[A\x1b[A\r');
    expect(await answer).toBe('send');
  });

  it('an aborted signal ends the question with AbortPromptError', async () => {
    const input = new PassThrough();
    const output = new PassThrough().resume();
    const signals = new AbortController();
    const answer = inquirerPrompter({ input, output, signal: signals.signal }).select('Send?', OPTIONS, 'cancel');
    signals.abort('SIGTERM');
    await expect(answer).rejects.toMatchObject({ name: 'AbortPromptError' });
  });
});

describe('the built binary on a pseudo-terminal (script(1))', () => {
  /**
   * `notify close` with every answer but the confirmation given by flags, in a pseudo-terminal;
   * `act` (given the process id, and a way to type) runs once the confirmation is on the screen.
   */
  async function closeOnTerminal(act: (pid: number, type: (keys: string) => void) => void) {
    fs.writeFileSync(path.join(ws.dir, 'details.md'), `${DETAILS}\n`);
    const pidFile = path.join(ws.dir, 'notify.pid');
    const command = `echo $$ > notify.pid; exec "${process.execPath}" "${BIN}" close promo --action pricing --party support --skip "sales=told at the weekly sales meeting" --summary "New prices from 1 July" --effective 2027-07-01 --details-file details.md`;
    const child = execa('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: ws.dir,
      env: { NOTIFY_SMTP_URL: ws.smtp.url, CI: '', NO_COLOR: '1', TERM: 'xterm', NOTIFY_DECIDED_BY: 'ann' },
      reject: false,
      stdin: 'pipe',
      timeout: 60_000,
    });
    let screen = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (b: Buffer) => {
        screen += b.toString();
        if (screen.includes('Send 3 messages now?')) resolve();
      });
    });
    act(Number(fs.readFileSync(pidFile, 'utf8').trim()), (keys) => child.stdin!.write(keys));
    const r = await child;
    return { code: r.exitCode, screen: screen + String(r.stdout) };
  }

  it('SIGTERM at the confirmation: exit 143, the answers in a draft plan, nothing sent or logged', async () => {
    ws = await workspace();
    const r = await closeOnTerminal((pid) => process.kill(pid, 'SIGTERM'));
    expect(r.code, r.screen).toBe(143);
    expect(r.screen).toContain(`Not sent. Your answers are saved as a draft plan in ${DRAFT}`);
    const text = fs.readFileSync(draftFile(), 'utf8');
    expect(text).toContain('draft: true\n');
    expect(text).toContain('reason: told at the weekly sales meeting\n');
    expect(text).toContain(DETAILS);
    nothingSent();
  });

  it('Enter alone cancels (exit 2); Ctrl-C typed at the confirmation exits 130; neither sends', async () => {
    ws = await workspace();
    let r = await closeOnTerminal((_pid, type) => type('\r'));
    expect(r.code, r.screen).toBe(2);
    expect(r.screen).toContain('not sent: cancelled at the confirmation');
    nothingSent();
    fs.rmSync(draftFile());
    r = await closeOnTerminal((_pid, type) => type('\x03'));
    expect(r.code, r.screen).toBe(130);
    expect(fs.readFileSync(draftFile(), 'utf8')).toContain('draft: true\n');
    nothingSent();
  });
});
