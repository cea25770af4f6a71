import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { workspaceForEach } from '../fixtures/close-workspace.js';
import type { Prompter } from '../../src/context.js';
import { readLogEvents, ROOT, runNotify, scriptedPrompter, spawnNotify } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';

const EXPECTED = ['marie-daba@mutuelle-exemple.fr', 'conseillers@mutuelle-exemple.fr', 'commerciaux@mutuelle-exemple.fr', 'dg@mutuelle-exemple.fr'];


function emlFiles(dir: string): Map<string, Buffer> {
  return new Map(fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => [f.slice(0, -4), fs.readFileSync(path.join(dir, f))]));
}

describe('notify preview', () => {
  const ws = workspaceForEach(() => fs.readFileSync(path.join(ROOT, 'examples/assurance/notify.yaml'), 'utf8'));

  it('writes, for a closed project, exactly the bytes the SMTP server received', async () => {
    const close = await runNotify(['close', 'voeux-2027', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(close.code, close.stderr).toBe(0);
    expect(ws.smtp.received).toHaveLength(4);
    const logBefore = fs.readFileSync(path.join(ws.dir, '.notify', 'log.jsonl'));
    const r = await runNotify(['preview', 'voeux-2027', '--out', 'out'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.code, r.stderr).toBe(0);
    const files = emlFiles(path.join(ws.dir, 'out'));
    expect([...files.keys()].sort()).toEqual([...EXPECTED].sort());
    for (const to of EXPECTED) expect(r.stdout).toContain(`${path.join('out', `${to}.eml`)}  [Mutuelle Exemple] `);
    for (const m of ws.smtp.received) {
      const eml = files.get(m.to[0])!;
      expect(/(?<!\r)\n/.test(eml.toString('latin1')), 'every line ends in CRLF').toBe(false);
      expect(eml.equals(Buffer.from(m.raw, 'utf8')), `${m.to[0]}\n--- preview\n${eml}\n--- received\n${m.raw}`).toBe(true);
    }
    for (const to of EXPECTED) expect(fs.readFileSync(path.join(ws.dir, 'out', `${to}.html`), 'utf8')).toMatch(/^<!doctype html>/);
    expect(fs.readFileSync(path.join(ws.dir, 'out', 'index.html'), 'utf8')).toContain('marie-daba@mutuelle-exemple.fr.eml');
    // Nothing more was sent, and the log is untouched.
    expect(ws.smtp.received).toHaveLength(4);
    expect(fs.readFileSync(path.join(ws.dir, '.notify', 'log.jsonl')).equals(logBefore)).toBe(true);
  });

  it('a close that waits at its confirmation sends the bytes a later preview shows (dated as recorded)', async () => {
    // The clock of the run: the person reads the list for a minute and a half before saying yes.
    let t = Date.parse('2027-01-04T08:59:30.000Z');
    const now = () => new Date(t);
    const slowYes: Prompter = {
      checkbox: async (_m, choices) => choices.filter((c) => c.checked).map((c) => c.value),
      input: async (_m, o) => o?.default ?? '',
      editor: async () => '',
      confirm: async () => false,
      select: async (message, options) => {
        expect(message).toMatch(/^Send/);
        t += 90_000;
        return options[0].value;
      },
    };
    const close = await runNotify(['close', 'voeux-2027'], { cwd: ws.dir, interactive: true, prompter: slowYes, now, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(close.code, close.stderr).toBe(0);
    expect(ws.smtp.received).toHaveLength(4);
    expect((await runNotify(['preview', 'voeux-2027', '--out', 'out'], { cwd: ws.dir })).code).toBe(0);
    const files = emlFiles(path.join(ws.dir, 'out'));
    for (const m of ws.smtp.received) expect(files.get(m.to[0])?.equals(Buffer.from(m.raw, 'utf8')), m.to[0]).toBe(true);
  });

  it('before any close, with --date, shows the bytes close then sends at that date', async () => {
    const twin = scratchDir();
    fs.copyFileSync(path.join(ws.dir, 'notify.yaml'), path.join(twin, 'notify.yaml'));
    const flags = ['--skip', 'commercial=told at the Monday meeting', '--summary', 'New Year e-card, sent to 40,000 customers'];
    expect((await runNotify(['close', 'voeux-2027', '--yes', ...flags], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } })).code).toBe(0);
    const planned = readLogEvents(ws.dir).find((e) => e.event === 'close.planned');
    const r = await runNotify(['preview', 'voeux-2027', ...flags, '--date', planned.ts, '--out', 'out'], { cwd: twin, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.code, r.stderr).toBe(0);
    const files = emlFiles(path.join(twin, 'out'));
    expect(files.size).toBe(3);
    expect(files.has('commerciaux@mutuelle-exemple.fr')).toBe(false);
    for (const m of ws.smtp.received) expect(files.get(m.to[0])?.equals(Buffer.from(m.raw, 'utf8')), m.to[0]).toBe(true);
    expect(fs.existsSync(path.join(twin, '.notify', 'log.jsonl'))).toBe(false);
  });

  it('prints every message in the terminal, asks nothing the map answers, sends and records nothing', async () => {
    const asked: string[] = [];
    const r = await runNotify(['preview', 'voeux-2027'], { cwd: ws.dir, interactive: true, prompter: scriptedPrompter([], asked), env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(asked).toEqual([]);
    for (const to of EXPECTED) expect(r.stdout).toMatch(new RegExp(`^To: .*${to.replace(/\./g, '\\.')}`, 'm'));
    expect(r.stdout).toContain('Subject: [Mutuelle Exemple] ');
    expect(r.stdout).toMatch(/^Message-ID: <notify\.voeux-2027\.[0-9a-f]+@mutuelle-exemple\.fr>$/m);
    expect(r.stdout).toContain('Carte de vœux envoyée à 40 000 clients');
    expect(ws.smtp.received).toHaveLength(0);
    expect(fs.existsSync(path.join(ws.dir, '.notify', 'log.jsonl'))).toBe(false);
  });

  it('--json lists each message with its status; a recorded close shows what was sent', async () => {
    const before = JSON.parse((await runNotify(['preview', 'voeux-2027', '--json'], { cwd: ws.dir })).stdout);
    expect(before).toMatchObject({ project: 'voeux-2027', decided: false, closed: false });
    expect(before.messages.map((m: any) => m.to).sort()).toEqual([...EXPECTED].sort());
    expect(before.messages.every((m: any) => m.status === 'would be sent' && /^<notify\./.test(m.message_id) && m.bytes > 0)).toBe(true);
    expect((await runNotify(['close', 'voeux-2027', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } })).code).toBe(0);
    const after = JSON.parse((await runNotify(['preview', 'voeux-2027', '--json'], { cwd: ws.dir })).stdout);
    expect(after).toMatchObject({ decided: true, closed: true });
    expect(after.messages.every((m: any) => m.status.startsWith('sent '))).toBe(true);
    expect(after.messages.map((m: any) => m.message_id).sort()).toEqual(ws.smtp.received.map((m) => m.messageId).sort());
  });

  it('uses the reviewed plan as close does, and writes none', async () => {
    const plan = await runNotify(['plan', 'voeux-2027', '--skip', 'commercial=told at the Monday meeting', '--yes'], { cwd: ws.dir });
    expect(plan.code, plan.stderr).toBe(0);
    const planFiles = fs.readdirSync(path.join(ws.dir, '.notify', 'plans'));
    const r = await runNotify(['preview', 'voeux-2027', '--json'], { cwd: ws.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Using the plan');
    expect(JSON.parse(r.stdout).messages.map((m: any) => m.to)).not.toContain('commerciaux@mutuelle-exemple.fr');
    expect(fs.readdirSync(path.join(ws.dir, '.notify', 'plans'))).toEqual(planFiles);
    const twice = await runNotify(['preview', 'voeux-2027', '--summary', 'other'], { cwd: ws.dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('already decides this close');
  });

  it('a missing answer without a terminal names its flag; a bad --date is exit 2', async () => {
    const adhoc = await runNotify(['preview', 'adhoc-1', '--title', 'Ad hoc', '--action', 'pricing'], { cwd: ws.dir });
    expect(adhoc.code).toBe(2);
    expect(adhoc.stderr).toContain('--summary');
    const bad = await runNotify(['preview', 'voeux-2027', '--date', 'next tuesday'], { cwd: ws.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--date next tuesday: not an ISO date');
  });

  it('--open opens the index in the browser when there is one, and only says so when there is none', async () => {
    const bin = path.join(ws.dir, 'bin');
    fs.mkdirSync(bin);
    const record = path.join(ws.dir, 'opened.txt');
    for (const name of ['xdg-open', 'open']) {
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$@" >> "${record}"\n`, { mode: 0o755 });
    }
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}`, DISPLAY: ':0' };
    const r = await runNotify(['preview', 'voeux-2027', '--open'], { cwd: ws.dir, env });
    expect(r.code, r.stderr).toBe(0);
    const index = fs.readFileSync(record, 'utf8').trim();
    expect(path.basename(index)).toBe('index.html');
    expect(path.relative(ws.dir, index).startsWith('..'), 'written outside the project').toBe(true);
    expect(fs.readFileSync(index, 'utf8')).toContain('dg@mutuelle-exemple.fr.html');
    fs.rmSync(path.dirname(index), { recursive: true });
    expect(fs.existsSync(path.join(ws.dir, '.notify', 'log.jsonl'))).toBe(false);

    const none = await runNotify(['preview', 'voeux-2027', '--open', '--out', 'p'], { cwd: ws.dir, env: { PATH: bin, DISPLAY: '', WAYLAND_DISPLAY: '' } });
    expect(none.code).toBe(0);
    if (process.platform === 'linux') expect(none.stderr).toContain('no browser opened (no graphical session');
    else expect(none.stderr).not.toContain('no browser opened');
    expect(fs.existsSync(path.join(ws.dir, 'p', 'index.html'))).toBe(true);
  });

  it('the built binary previews with exit 0 and prints the messages on stdout', async () => {
    const r = await spawnNotify(['preview', 'voeux-2027'], { cwd: ws.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Preview of the close of voeux-2027: 4 messages');
  });
});
