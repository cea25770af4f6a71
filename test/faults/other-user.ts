/**
 * The built CLI run as another user, for the tests of file modes (root ignores them). That user
 * may not be able to reach the checkout (cloned into a private folder) nor the node binary (in
 * root's npx cache), so it then runs copies in a folder of its own: bin/, dist/, templates/,
 * package.json and the production dependencies the lockfile names, made once per test file and
 * removed after it. Where every one of those is already open to all users, it runs them in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { BIN, ROOT, tempDir } from '../helpers/workspace.js';

/** Who a child runs as, and the node and CLI entry point it runs. */
export interface RunAs {
  uid?: number;
  gid?: number;
  node?: string;
  bin?: string;
}

const NOBODY = 65534;

/**
 * Who runs the CLI in a test that makes a file unwritable: the current user, unless it is root;
 * then nobody, with copies it can read. Call it in a test file or describe block.
 */
export function unprivileged(): RunAs {
  const as: RunAs = {};
  if (process.getuid?.() !== 0) return as;
  let dir: string | undefined;
  beforeAll(() => {
    dir = tempDir('notify-other-user-');
    Object.assign(as, { uid: NOBODY, gid: NOBODY, ...copyCli(dir) });
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return as;
}

function copyCli(dir: string): { node: string; bin: string } {
  const parts = cliParts();
  // Copying some hundred megabytes of dependencies costs seconds of CPU: not needed when
  // another user can already read them where they are.
  if (reachable(process.execPath) && parts.every((part) => reachable(fs.realpathSync(path.join(ROOT, part))) && readableByAll(path.join(ROOT, part)))) return { node: process.execPath, bin: BIN };
  if (!reachable(path.dirname(dir))) throw new Error(`${path.dirname(dir)} cannot be entered by other users: set TMPDIR to a folder they can enter`);
  for (const part of parts) fs.cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true, dereference: true });
  let node = process.execPath;
  if (!reachable(node)) fs.copyFileSync(node, (node = path.join(dir, 'node')));
  openToAll(dir);
  return { node, bin: path.join(dir, 'bin', 'notify.js') };
}

/** What the CLI needs of the checkout, relative to it: its own files and the production dependencies. */
function cliParts(): string[] {
  const parts = ['bin', 'dist', 'templates', 'package.json'];
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const deps = Object.entries<{ dev?: boolean; devOptional?: boolean }>(lock.packages)
    .filter(([where, entry]) => where.startsWith('node_modules/') && !entry.dev && !entry.devOptional)
    .map(([where]) => where)
    .sort();
  // A nested package comes with the one it is nested in.
  for (const where of deps) if (!parts.some((p) => where.startsWith(`${p}/`))) parts.push(where);
  return parts;
}

/** True when a user who is neither owner nor in the group may read `p` and everything under it (links followed). */
function readableByAll(p: string): boolean {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return false;
  if (!st.isDirectory()) return (st.mode & 0o004) !== 0;
  return (st.mode & 0o005) === 0o005 && fs.readdirSync(p).every((e) => readableByAll(path.join(p, e)));
}

/** True when a user who is neither owner nor in the group may enter (or run) `p` and every folder above it. */
function reachable(p: string): boolean {
  for (let d = p; ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

/** Readable by all, folders and executables enterable by all: a checkout made with umask 077 is not. */
function openToAll(p: string): void {
  const st = fs.lstatSync(p);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    fs.chmodSync(p, 0o755);
    for (const e of fs.readdirSync(p)) openToAll(path.join(p, e));
  } else {
    fs.chmodSync(p, st.mode & 0o100 ? 0o755 : 0o644);
  }
}
