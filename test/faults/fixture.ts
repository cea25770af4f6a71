/** A small project with three recipients, and what the fault tests read back from the log. */
import fs from 'node:fs';
import path from 'node:path';
import { messageIdFor } from '../../src/domain/deliveries.js';
import { execa } from 'execa';
import { scratchDir } from '../fixtures/scratch.js';
import type { RunAs } from './other-user.js';
import { BIN, readLogEvents, runNotify, writeMap } from '../helpers/workspace.js';

export const ANN = 'ann@example.com';
export const BOB = 'bob@example.com';
export const CAT = 'cat@example.com';
export const EVERYONE = [ANN, BOB, CAT];

/** Map text for project "launch" (ann, bob in sales; cat in support); `smtp` lines go under smtp:. */
export function mapText(smtp: string[] = []): string {
  return [
    'version: 1',
    'from: "Projects <projects@example.com>"',
    ...(smtp.length > 0 ? ['smtp:', ...smtp.map((l) => `  ${l}`)] : []),
    'parties:',
    '  sales:',
    '    contacts: ["Ann <ann@example.com>", "bob@example.com"]',
    '  support:',
    '    contacts: ["cat@example.com"]',
    '    always: true',
    'projects:',
    '  launch:',
    '    title: Launch',
    '    parties: [sales]',
    '    summary: "The launch is done"',
    '',
  ].join('\n');
}

export { scratchDir };

/** A temp project folder holding the map; retries are immediate unless `smtp` says otherwise. */
export function project(smtp: string[] = ['retry_delays_seconds: [0, 0]']): string {
  const dir = scratchDir('notify-faults-');
  writeMap(dir, mapText(smtp));
  return dir;
}

export function events(dir: string, kind?: string): any[] {
  const all = readLogEvents(dir);
  return kind ? all.filter((e) => e.event === kind) : all;
}

/** Recipients with a `notification.sent` line, each as often as it appears. */
export function sentInLog(dir: string): string[] {
  return events(dir, 'notification.sent').map((e) => e.recipient).sort();
}

export function messageIdOf(address: string): string {
  return messageIdFor('launch', address, { address: 'projects@example.com' });
}

export function logFile(dir: string): string {
  return path.join(dir, '.notify', 'log.jsonl');
}

export function logText(dir: string): string {
  return fs.existsSync(logFile(dir)) ? fs.readFileSync(logFile(dir), 'utf8') : '';
}

/**
 * The built CLI as a child process we can signal (CI=true, no colour, no terminal); `as` runs it
 * as another user (see other-user.ts).
 */
export function spawnCli(args: string[], cwd: string, env: Record<string, string>, as: RunAs = {}) {
  const { node = process.execPath, bin = BIN, uid, gid } = as;
  const child = execa(node, [bin, ...args], { cwd, env: { CI: 'true', NO_COLOR: '1', ...env }, reject: false, input: '', timeout: 60_000, uid, gid });
  let stderr = '';
  let ended = false;
  const waiting: (() => void)[] = [];
  const wake = () => {
    for (const w of waiting.splice(0)) w();
  };
  child.stderr?.on('data', (d: Buffer) => ((stderr += d.toString()), wake()));
  child.stderr?.on('close', () => ((ended = true), wake()));
  return Object.assign(child, {
    /** Resolves once the child has written `text` to stderr; rejects if its stderr ends without it. */
    stderrHas: (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stderr.includes(text)) resolve();
          else if (ended) reject(new Error(`the child's stderr ended without ${JSON.stringify(text)}:\n${stderr}`));
          else waiting.push(check);
        };
        check();
      }),
  });
}

/**
 * The same command run in this process (the fast tier: real log, lock and SMTP, no child), with
 * the built CLI's result fields: for a step whose promise is what the run decides and records,
 * not what the process does. Saves the start of a Node process and its modules for each step.
 */
export async function runHere(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await runNotify(args, { cwd, env });
  return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
}

/**
 * An SMTP server hook that kills the CLI (SIGKILL) when the nth MAIL FROM after `arm(child)`
 * arrives, and never answers it: the message's attempt line is on disk, nothing of it was sent.
 */
export function killAtMailFrom(n: number) {
  let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
  let seen = 0;
  return {
    arm(c: { kill(signal: NodeJS.Signals): boolean }): void {
      child = c;
      seen = 0;
    },
    onMailFrom: (): Promise<undefined> | undefined => {
      if (!child || ++seen !== n) return undefined;
      child.kill('SIGKILL');
      child = undefined;
      return new Promise<undefined>(() => undefined);
    },
  };
}

/** A promise with its resolve function, to hold a server hook until the test lets it go. */
export function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

export function lockLeft(dir: string): boolean {
  return fs.existsSync(`${logFile(dir)}.lock`);
}
