/**
 * One writer per log: a lock file beside the log's real path, created atomically (link(2) of a
 * complete temporary file) and naming its holder (host, pid, the process's start time, a token).
 *
 * - A holder on this host is taken over only once its process is gone: a run that is paused
 *   (SIGSTOP, a closed laptop lid) is slow, not dead, and keeps its lock however late it refreshes.
 * - A holder on another host (a shared folder) refreshes the file's time every second; it is
 *   taken over once the file has not been touched for LOCK_STALE_MS.
 * - Taking over renames the old file away first, so two runs taking over at once cannot both win.
 * - `lost()` is the fencing check: it says whether the file at the lock's path is still the one
 *   this run created. A run asks it just before each send, so a run that lost its lock while it
 *   was paused starts nothing more.
 *
 * proper-lockfile, used before, decides staleness by the lock's age alone, so it handed a paused
 * but live run's lock to another run, and it has no way to ask "is it still mine" before a send.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT, IncompleteError, InterruptedError, NotifyError } from '../../errors.js';
import type { Lock, LockOptions } from '../../ports.js';

export type { Lock, LockOptions };

export const LOCK_STALE_MS = 5_000;
const REFRESH_MS = 1_000;
const POLL_MS = 200;
const WAIT_MS = 10 * 60_000;

export interface Owner {
  pid: number;
  host: string;
  /** The holder process's start time (Linux clock ticks since boot), to tell a reused pid apart. */
  start?: string;
  token?: string;
}

export async function acquireLock(logFile: string, shown: string, opts: LockOptions): Promise<Lock> {
  const lockFile = `${logFile}.lock`;
  const now = opts.now ?? Date.now;
  const me: Owner = { pid: process.pid, host: os.hostname(), start: processStart(process.pid), token: randomBytes(12).toString('hex') };
  let told = false;
  const deadline = now() + (opts.wait ? WAIT_MS : 0);
  try {
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    for (;;) {
      if (tryCreate(lockFile, me)) break;
      const holder = readOwner(lockFile);
      const verdict = judge(lockFile, holder, now());
      if (verdict === 'dead' || verdict === 'stale') {
        if (!told) opts.notice?.(`the lock of ${shown} was left by a run that stopped${holder ? ` (pid ${holder.pid})` : ''}; taking it over`);
        told = true;
        takeOver(lockFile, holder);
        continue;
      }
      if (verdict === 'gone') continue;
      if (!opts.wait) throw locked(shown, holder);
      if (now() >= deadline) throw locked(shown, holder);
      if (!told) opts.notice?.(`another notify run${holder ? ` (pid ${holder.pid})` : ''} is sending with ${shown}; waiting for it to finish`);
      told = true;
      if (opts.signal?.aborted) throw new InterruptedError(opts.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (opts.signal?.aborted) throw new InterruptedError(opts.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
    }
  } catch (err) {
    if (err instanceof NotifyError) throw err;
    throw new NotifyError(`${shown}.lock: cannot take the lock (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was sent`, EXIT.usage, 'check the permissions of the log directory');
  }
  return held(lockFile, shown, me, opts);
}

function held(lockFile: string, shown: string, me: Owner, opts: LockOptions): Lock {
  // Held open while we hold the lock: its inode cannot be freed and given to another run's lock
  // file, so "same inode" keeps meaning "our file" for the fencing check.
  const pin = fs.openSync(lockFile, 'r');
  const ours = fs.fstatSync(pin);
  sweep(lockFile);
  let lostReason: string | undefined;
  let released = false;
  const lost = (): string | undefined => {
    if (lostReason || released) return lostReason;
    let st: fs.Stats;
    try {
      st = fs.statSync(lockFile);
    } catch {
      return (lostReason = `its file ${shown}.lock was removed`);
    }
    if (st.ino !== ours.ino || st.dev !== ours.dev) lostReason = `it now belongs to ${describe(readOwner(lockFile))}`;
    return lostReason;
  };
  const timer = setInterval(() => {
    if (lostReason) return;
    const why = lost();
    if (why) return opts.onLost(why);
    // The file's time says "still here" to runs on other hosts; failing to touch it is harmless.
    const t = new Date();
    try {
      fs.utimesSync(lockFile, t, t);
    } catch {
      /* lost() tells on the next tick */
    }
  }, REFRESH_MS);
  timer.unref();
  return {
    lost,
    release: async () => {
      if (released) return;
      clearInterval(timer);
      // Only our own file is removed: one that replaced it belongs to another run.
      if (!lost()) fs.rmSync(lockFile, { force: true });
      released = true;
      fs.closeSync(pin);
    },
  };
}

/** Creates the lock file whole, or returns false if one exists. */
function tryCreate(lockFile: string, me: Owner): boolean {
  const tmp = `${lockFile}.${me.token}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(me) + '\n');
  try {
    fs.linkSync(tmp, lockFile);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

type Verdict = 'alive' | 'dead' | 'stale' | 'gone';

/** Whether the holder is a live run (wait or refuse), a dead one or a stale one (take over). */
export function judge(lockFile: string, holder: Owner | undefined, nowMs: number): Verdict {
  let mtime: number;
  try {
    mtime = fs.statSync(lockFile).mtimeMs;
  } catch {
    return 'gone';
  }
  if (holder && holder.host === os.hostname()) return isRunning(holder) ? 'alive' : 'dead';
  // Another host, or an unreadable file (an older version's lock folder): judged by its age.
  return nowMs - mtime > LOCK_STALE_MS ? 'stale' : 'alive';
}

/**
 * Removes what a run killed in the middle of taking or taking over the lock left beside it
 * (`*.tmp`, `*.stale`), once they are old enough that no live run is still using them.
 */
function sweep(lockFile: string): void {
  const dir = path.dirname(lockFile);
  const prefix = `${path.basename(lockFile)}.`;
  try {
    for (const name of fs.readdirSync(dir)) {
      if (!name.startsWith(prefix) || !(name.endsWith('.tmp') || name.endsWith('.stale'))) continue;
      const file = path.join(dir, name);
      if (Date.now() - fs.statSync(file).mtimeMs > 60_000) fs.rmSync(file, { recursive: true, force: true });
    }
  } catch {
    /* tidying only */
  }
}

/** Moves the old lock away, then checks that what moved is the lock judged dead (not a newer one). */
function takeOver(lockFile: string, holder: Owner | undefined): void {
  const aside = `${lockFile}.${randomBytes(6).toString('hex')}.stale`;
  try {
    fs.renameSync(lockFile, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another run moved it first
    throw err;
  }
  const moved = readOwner(aside);
  if (holder?.token !== undefined && moved?.token !== holder.token) {
    // Another run took over and created a fresh lock between our look and our move: put it back.
    try {
      fs.linkSync(aside, lockFile);
    } catch {
      /* a third run holds it now; the one we moved will find its lock lost before its next send */
    }
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

export function readOwner(file: string): Owner | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!Number.isInteger(o?.pid) || typeof o?.host !== 'string') return undefined;
    return { pid: o.pid, host: o.host, start: typeof o.start === 'string' ? o.start : undefined, token: typeof o.token === 'string' ? o.token : undefined };
  } catch {
    return undefined;
  }
}

function isRunning(o: Owner): boolean {
  // kill(0) and kill(-1) signal process groups: they never say whether one process is alive.
  if (o.pid <= 0) return false;
  try {
    process.kill(o.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid is in use: by the holder, unless the holder died and the pid was given to another process.
  const start = processStart(o.pid);
  return o.start === undefined || start === undefined || start === o.start;
}

/** Field 22 of /proc/PID/stat (start time), where there is a /proc; undefined elsewhere. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function describe(o: Owner | undefined): string {
  return o ? `another run (pid ${o.pid} on ${o.host})` : 'another run';
}

function locked(shown: string, owner: Owner | undefined): NotifyError {
  return new IncompleteError(
    `${shown}: another notify run${owner ? ` (pid ${owner.pid} on ${owner.host})` : ''} is sending with this log right now`,
    'wait for it to finish, or run again with --wait to queue behind it',
  );
}
