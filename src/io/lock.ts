/**
 * One writer per log: a lock directory beside it (proper-lockfile, which refreshes the lock
 * while we hold it and treats one that stopped being refreshed as left by a dead process).
 */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { NotifyError } from '../errors.js';

export const LOCK_STALE_MS = 5_000;

export interface Lock {
  release(): Promise<void>;
}

export async function acquireLock(logFile: string, shown: string, opts: { wait: boolean; onCompromised: (err: Error) => void }): Promise<Lock> {
  try {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const release = await lockfile.lock(logFile, {
      lockfilePath: `${logFile}.lock`,
      realpath: false,
      stale: LOCK_STALE_MS,
      update: 1_000,
      retries: opts.wait ? { retries: 600, factor: 1, minTimeout: 500, maxTimeout: 500 } : 0,
      onCompromised: opts.onCompromised,
    });
    return { release: () => release().catch(() => undefined) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new NotifyError(`${shown}: another notify run is sending with this log right now`, 1, 'wait for it to finish, or run again with --wait to queue behind it');
    }
    throw new NotifyError(`${shown}.lock: cannot take the lock (${(err as Error).message})`, 2);
  }
}
