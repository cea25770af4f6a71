/** Temporary project folders, a fake context, and a way to run the real CLI in-process or as a child. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Choice, Context, Option, Prompter } from '../../src/context.js';
import { run } from '../../src/run.js';
import { plainStyle } from '../../src/adapters/terminal/style.js';
import { realPorts } from '../../src/adapters/real-ports.js';
import type { Ports } from '../../src/ports.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'notify.js');

export function tempDir(prefix = 'notify-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeMap(dir: string, yaml: string, name = 'notify.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, yaml);
  return file;
}

export function readLogEvents(dir: string, log = '.notify/log.jsonl'): any[] {
  const file = path.join(dir, log);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Answers given in order; each call takes the next one and fails the test if it is of the wrong kind. */
export type ScriptedAnswer =
  | { checkbox: (choices: Choice[]) => string[] }
  | { input: string }
  | { editor: string }
  | { confirm: boolean }
  /** The value picked, or a function of the options and the one highlighted first. */
  | { select: string | ((options: Option[], initial?: string) => string) };

export function scriptedPrompter(answers: ScriptedAnswer[], asked: string[] = []): Prompter {
  const next = <K extends string>(kind: K, message: string): any => {
    asked.push(message);
    const a = answers.shift();
    if (!a || !(kind in a)) throw new Error(`unexpected ${kind} prompt: ${message}`);
    return (a as any)[kind];
  };
  return {
    async select(message, options, initial) {
      const answer = next('select', message);
      const value = typeof answer === 'function' ? answer(options, initial) : answer;
      if (!options.some((o) => o.value === value)) throw new Error(`"${value}" is not an answer of: ${message}`);
      return value;
    },
    async checkbox(message, choices) {
      return next('checkbox', message)(choices);
    },
    async input(message) {
      return next('input', message);
    },
    async editor(message) {
      return next('editor', message);
    },
    async confirm(message) {
      return next('confirm', message);
    },
  };
}

export interface FakeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the program in-process with a fake context (no TTY unless `interactive`). */
export async function runNotify(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; interactive?: boolean; prompter?: Prompter; signal?: AbortSignal; ports?: Ports; now?: () => Date }): Promise<FakeRun> {
  let stdout = '';
  let stderr = '';
  const ctx = (): Context => ({
    cwd: opts.cwd,
    env: { ...opts.env },
    stdout: { write: (t: string) => void (stdout += t) },
    stderr: { write: (t: string) => void (stderr += t) },
    interactive: Boolean(opts.interactive),
    tty: false,
    color: false,
    style: plainStyle,
    quiet: false,
    verbose: false,
    now: opts.now ?? (() => new Date()),
    prompter: opts.prompter ?? scriptedPrompter([]),
    signal: opts.signal ?? new AbortController().signal,
    holdSignals: () => () => undefined,
    ports: opts.ports ?? realPorts(),
  });
  const code = await run(args, ctx);
  return { code, stdout, stderr };
}

/** Spawn the built CLI as a child process (CI=true and no TTY unless env says otherwise). */
export async function spawnNotify(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; input?: string }) {
  return execa(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { CI: 'true', NO_COLOR: '1', ...opts.env }, reject: false, input: opts.input ?? '', timeout: 60_000 });
}
