/**
 * One writer per log: a lock directory beside it (proper-lockfile, which refreshes the lock
 * while we hold it and treats one that stopped being refreshed as left by a dead process).
 * A small owner file names the holder, so a lock left by a killed run on this machine is
 * taken over instead of refused, and a live holder is refused at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { InterruptedError, NotifyError } from '../errors.js';

export const LOCK_STALE_MS = 5_000;
const POLL_MS = 500;
const WAIT_MS = 10 * 60_000;

export interface Lock {
  release(): Promise<void>;
}

export interface LockOptions {
  wait: boolean;
  onCompromised: (err: Error) => void;
  /** Told when the run waits for the lock (--wait, or a lock left by a dead run). */
  notice?: (message: string) => void;
  /** Ctrl-C or SIGTERM while waiting stops the wait (exit 130 / 143). */
  signal?: AbortSignal;
}

interface Owner {
  pid: number;
  host: string;
}

export async function acquireLock(logFile: string, shown: string, opts: LockOptions): Promise<Lock> {
  const ownerFile = `${logFile}.lock-owner`;
  const once = () => lockfile.lock(logFile, { lockfilePath: `${logFile}.lock`, realpath: false, stale: LOCK_STALE_MS, update: 1_000, retries: 0, onCompromised: opts.onCompromised });
  const take = async (waitMs: number) => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return await once();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOCKED' || Date.now() >= deadline) throw err;
      }
      if (opts.signal?.aborted) throw new InterruptedError(opts.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  let release: () => Promise<void>;
  try {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    try {
      release = await take(0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      const owner = readOwner(ownerFile);
      const dead = owner !== undefined && owner.host === os.hostname() && !alive(owner.pid);
      if (dead) opts.notice?.(`the lock of ${shown} was left by a run that stopped (pid ${owner.pid}); taking it over in a few seconds`);
      else if (opts.wait) opts.notice?.(`another notify run${owner ? ` (pid ${owner.pid})` : ''} is sending with ${shown}; waiting for it to finish`);
      else throw locked(shown, owner);
      // A dead holder's lock goes stale once it is no longer refreshed; proper-lockfile then removes it.
      release = await take(dead && !opts.wait ? LOCK_STALE_MS + 3 * POLL_MS : WAIT_MS);
    }
  } catch (err) {
    if (err instanceof NotifyError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw locked(shown, readOwner(ownerFile));
    throw new NotifyError(`${shown}.lock: cannot take the lock (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was sent`, 2, 'check the permissions of the log directory');
  }
  try {
    fs.writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: os.hostname() }) + '\n');
  } catch {
    /* the owner file only speeds up taking over after a crash */
  }
  return {
    release: async () => {
      try {
        if (readOwner(ownerFile)?.pid === process.pid) fs.rmSync(ownerFile, { force: true });
      } catch {
        /* see above */
      }
      await release().catch(() => undefined);
    },
  };
}

function locked(shown: string, owner: Owner | undefined): NotifyError {
  return new NotifyError(
    `${shown}: another notify run${owner ? ` (pid ${owner.pid} on ${owner.host})` : ''} is sending with this log right now`,
    1,
    'wait for it to finish, or run again with --wait to queue behind it',
  );
}

function readOwner(file: string): Owner | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(o?.pid) && typeof o?.host === 'string' ? { pid: o.pid, host: o.host } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
