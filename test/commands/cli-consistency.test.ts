/**
 * The command line reads the same everywhere: a short flag means one thing in every command,
 * every help says which global flags apply and (when the command sends) where the SMTP server
 * comes from, with no "(default: [])" noise; stakeholders takes its project as an argument. The
 * help texts are made in-process by the program's own commander objects, as the built CLI prints
 * them: the first test checks that they are the built CLI's, byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/program.js';
import { spawnNotify, tempDir, writeMap } from '../helpers/workspace.js';
import { smtpError } from '../helpers/smtp.js';
import { workspace } from '../fixtures/close-workspace.js';
import { SMALL_MAP } from '../fixtures/maps.js';

const program = buildProgram(() => {
  throw new Error('no command runs here');
}, () => undefined);
const COMMANDS = program.commands.filter((c: Command) => !(c as unknown as { _hidden: boolean })._hidden).map((c: Command) => c.name());
/** The commands that send mail: each says where the SMTP server comes from. */
const SENDING = ['close', 'amend'].filter((name) => COMMANDS.includes(name));

/** What `notify <command> --help` prints on stdout. */
async function binaryHelp(command: string): Promise<string> {
  const r = await spawnNotify([command, '--help'], { cwd: tempDir() });
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout;
}

/** The same text, written by the command's own outputHelp (what --help calls) in this process. */
async function help(command: string): Promise<string> {
  const cmd = program.commands.find((c: Command) => c.name() === command);
  if (!cmd) throw new Error(`no command ${command}`);
  let out = '';
  cmd.configureOutput({ writeOut: (text) => void (out += text) });
  cmd.outputHelp();
  return out;
}

describe('help texts', () => {
  it('are the built CLI\'s: close and stakeholders --help print them, exit 0', async () => {
    // execa takes the final newline off what the child printed.
    for (const name of ['close', 'stakeholders']) expect(await binaryHelp(name), name).toBe((await help(name)).replace(/\n$/, ''));
  });

  it('covers the commands it means to', () => {
    expect(COMMANDS).toEqual(expect.arrayContaining(['stakeholders', 'close', 'check', 'status', 'log', 'plan', 'report', 'preview', 'init', 'validate', 'schema', 'completion']));
    expect(SENDING).toContain('close');
  });

  it('no subcommand shows "(default: [])" or any other default commander made up', async () => {
    const texts = await Promise.all(COMMANDS.map(help));
    COMMANDS.forEach((name, i) => {
      expect(texts[i], name).not.toContain('(default: [])');
      expect(texts[i], name).not.toMatch(/\(default: "/);
      expect(texts[i], name).not.toMatch(/\(default: (true|false)\)/);
    });
  });

  it('every subcommand lists the global flags it honours, and never --version', async () => {
    for (const name of COMMANDS) {
      const text = await help(name);
      expect(text, name).toMatch(/^Global Options:\n {2}(-c, --config|--verbose)/m);
      expect(text, name).toMatch(/^ {2}--verbose /m);
      expect(text, name).not.toContain('--version');
    }
    const close = await help('close');
    for (const flag of ['-c, --config <file>', '--log <file>', '--no-color', '--no-input', '-q, --quiet', '--verbose']) expect(close).toContain(`  ${flag}`);
    // status asks nothing: --no-input would change nothing there.
    expect(await help('status')).not.toContain('--no-input');
  });

  it.each(SENDING)('%s --help says how to reach the SMTP server: NOTIFY_SMTP_URL', async (name) => {
    const text = await help(name);
    expect(text).toMatch(/^Environment:\n {2}NOTIFY_SMTP_URL /m);
  });

  it('--title says when it is needed; close, plan and preview say that an unknown id needs it', async () => {
    for (const name of ['close', 'plan', 'preview']) {
      // Read as one line: help wraps at the terminal's width.
      const text = (await help(name)).replace(/\s+/g, ' ');
      expect(text, name).toContain('--title <text> the title of a new ad-hoc project: needed for an id that the map, the plans and the log do not know');
      expect(text, name).toContain('a new ad-hoc id needs --title');
    }
  });
});

describe('short flags mean the same thing in every command', () => {
  it('one long flag per short flag, across every command and the global flags', () => {
    const meaning = new Map<string, Set<string>>();
    for (const cmd of [program, ...program.commands]) {
      for (const o of cmd.options) {
        if (!o.short) continue;
        meaning.set(o.short, (meaning.get(o.short) ?? new Set()).add(o.long ?? ''));
      }
    }
    const conflicts = [...meaning].filter(([, longs]) => longs.size > 1).map(([short, longs]) => `${short}: ${[...longs].join(', ')}`);
    expect(conflicts).toEqual([]);
    // The table in README.md: each short flag and what it means.
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    for (const [short, longs] of meaning) expect(readme, short).toContain(`| \`${short}\` | \`${[...longs][0]}\``);
  });

  it('-m is --summary, -a --action, -P --party, -s --skip, -y --yes wherever they exist', () => {
    const expected: Record<string, string> = { '-m': '--summary', '-a': '--action', '-P': '--party', '-s': '--skip', '-y': '--yes', '-n': '--dry-run', '-c': '--config', '-q': '--quiet', '-f': '--format', '-o': '--out' };
    for (const cmd of program.commands) for (const o of cmd.options) if (o.short && expected[o.short]) expect(o.long, `${cmd.name()} ${o.short}`).toBe(expected[o.short]);
  });
});

describe('notify stakeholders <project>', () => {
  it('takes the project as an argument; --project still works, hidden from the help', async () => {
    const ws = await workspace();
    try {
      const byArg = await ws.run(['stakeholders', 'ecard', '--json']);
      expect(byArg.code, byArg.stderr).toBe(0);
      expect(JSON.parse(byArg.stdout).map((p: { id: string }) => p.id)).toEqual(['support', 'legal', 'boss']);
      const byFlag = await ws.run(['stakeholders', '--project', 'ecard', '--json']);
      expect(byFlag.stdout).toBe(byArg.stdout);
      expect((await ws.run(['stakeholders', 'ecard', '-p', 'ecard', '--json'])).stdout).toBe(byArg.stdout);
      const both = await ws.run(['stakeholders', 'ecard', '--project', 'promo']);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('two projects: ecard and --project promo; give one, as the argument');
    } finally {
      await ws.close();
    }
    const text = await help('stakeholders');
    expect(text).toMatch(/^Usage: notify stakeholders \[options\] \[project\]$/m);
    expect(text).not.toContain('--project');
  });
});

describe('what close says', () => {
  it('"No plan at ...: deciding from the map" only with --verbose', async () => {
    const dir = tempDir();
    writeMap(dir, SMALL_MAP);
    const quiet = await spawnNotify(['close', 'promo', '-m', 'Summer prices', '--dry-run'], { cwd: dir });
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('No plan at');
    const verbose = await spawnNotify(['close', 'promo', '-m', 'Summer prices', '--dry-run', '--verbose'], { cwd: dir });
    expect(verbose.exitCode, verbose.stderr).toBe(0);
    expect(verbose.stderr).toContain(`No plan at ${path.join('.notify', 'plans', 'promo.md')}: deciding from the map and the flags.`);
  });

  it('a resumed close counts what is already done in parties and in people', async () => {
    let reject = true;
    const ws = await workspace({ onRcpt: (a) => (reject && a === 'support@acme.test' ? smtpError(550, '5.1.1 mailbox unavailable') : undefined) });
    try {
      const first = await ws.run(['close', 'promo', '-m', 'New prices', '--yes']);
      expect(first.code).toBe(1);
      expect(first.stderr).not.toContain('already notified');
      // marie, sales@ and boss@ were told: sales (both its people) and boss (its one) are notified.
      reject = false;
      const again = await ws.run(['close', 'promo', '--yes']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/^ {2}already notified: 2 parties \(3 people\)$/m);
      expect(ws.smtp.received.map((m) => m.to[0]).filter((a) => a === 'support@acme.test')).toEqual(['support@acme.test']);
    } finally {
      await ws.close();
    }
  });
});
