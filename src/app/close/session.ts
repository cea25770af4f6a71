/**
 * Everything a close holds while it sends, in one disposable object: the signal hold, the lock,
 * the log writer, the composer and the transport. Each is released in one place, `close()`, in
 * the reverse order of taking, on every path (sent, refused, failed to open, interrupted).
 */
import type { Context } from '../../context.js';
import type { Transport } from '../../domain/transport.js';
import type { Composer, Lock, LogAppender } from '../../ports.js';

export interface CloseSession {
  lock: Lock;
  writer: LogAppender;
  composer: Composer;
  /** Undefined when nothing is left to send. */
  transport?: Transport;
  /** Aborted when the lock's refresh finds it lost. */
  lockLost: AbortSignal;
  /** The fencing check asked before each send: the lock and the log are still this run's. */
  fence(): string | undefined;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** The log as the user spelled it (map or --log): the writer watches what this path names. */
  logFile: string;
  /** Its real path, through symlinks: the lock is taken beside it, so all spellings share one. */
  lockFile: string;
  shown: string;
  wait: boolean;
  /** The transport, being connected and verified since before the confirmation. */
  opening?: Promise<Transport>;
  composer: 'inline' | 'worker';
}

/** Releases, last taken first; each runs once, and one that fails does not stop the others. */
class Closers {
  private readonly stack: (() => unknown)[] = [];

  push(release: () => unknown): void {
    this.stack.push(release);
  }

  async run(): Promise<void> {
    for (let release = this.stack.pop(); release; release = this.stack.pop()) {
      try {
        await release();
      } catch {
        /* releasing is best effort: the log already records the truth */
      }
    }
  }
}

export async function openSession(o: SessionOptions, ctx: Context): Promise<CloseSession> {
  const closers = new Closers();
  // The transport is released however the opening ends, including a lock that cannot be taken.
  closers.push(async () => (await o.opening?.catch(() => undefined))?.close());
  try {
    closers.push(ctx.holdSignals());
    // A lock that is lost (its file removed or taken over) may now be another run's: no new send
    // starts (each send checks first), the ones in flight finish and are recorded, the close stops.
    const lockLost = new AbortController();
    const lock = await ctx.ports.lock.acquire(o.lockFile, o.shown, {
      wait: o.wait,
      onLost: (why) => {
        ctx.stderr.write(`notify: the lock of ${o.shown} was lost (${why}); finishing the sends in flight, then stopping\n`);
        lockLost.abort();
      },
      notice: (m) => ctx.stderr.write(`notify: ${m}\n`),
      signal: ctx.signal,
    });
    closers.push(() => lock.release());
    const writer = await ctx.ports.log.openWriter(o.logFile, o.shown, ctx.now, (w) => ctx.stderr.write(`notify: warning: ${w}\n`));
    closers.push(() => writer.close());
    // Started now, a worker loads while the server is verified and the decisions recorded.
    const composer = await ctx.ports.composers.open(o.composer);
    closers.push(() => composer.close());
    // Authentication and connection problems show up here, before anything is recorded or sent.
    const transport = await o.opening;
    return { lock, writer, composer, transport, lockLost: lockLost.signal, fence: () => lock.lost() ?? writer.lost(), close: () => closers.run() };
  } catch (err) {
    await closers.run();
    throw err;
  }
}
