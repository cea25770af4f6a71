/** A small project with three recipients, and what the fault tests read back from the log. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { messageIdFor } from '../../src/core/plan.js';
import { execa } from 'execa';
import { scratchDir } from '../fixtures/scratch.js';
import { BIN, readLogEvents, writeMap } from '../helpers/workspace.js';

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

/** The built CLI as a child process we can signal (CI=true, no colour, no terminal). */
/**
 * The node binary another user can run: when it sits in a folder only root can enter (Node 24
 * fetched by npx into root's cache), a copy in the temporary folder, made once.
 */
function nodeFor(user: { uid?: number }): string {
  if (user.uid === undefined || user.uid === process.getuid?.()) return process.execPath;
  const copy = path.join(os.tmpdir(), `notify-test-node-${process.version}`);
  if (!fs.existsSync(copy)) {
    const partial = `${copy}.${process.pid}`;
    fs.copyFileSync(process.execPath, partial);
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, copy);
  }
  return copy;
}

export function spawnCli(args: string[], cwd: string, env: Record<string, string>, user: { uid?: number; gid?: number } = {}) {
  const child = execa(nodeFor(user), [BIN, ...args], { cwd, env: { CI: 'true', NO_COLOR: '1', ...env }, reject: false, input: '', timeout: 60_000, ...user });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return Object.assign(child, {
    /** Resolves once the child has written `text` to stderr. */
    stderrHas: (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (stderr.includes(text) ? resolve() : setTimeout(check, 20));
        check();
      }),
  });
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
