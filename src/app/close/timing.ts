/**
 * Where the time of a close goes, for `--verbose`: one line on stderr at the end, each phase
 * once, in the order they ran. Phases that overlap another (the server is verified while the
 * rest goes on) are named with "alongside".
 */
import type { Context } from '../../context.js';

export type Phase = 'start-up' | 'map' | 'decisions' | 'render' | 'confirm' | 'verify' | 'lock' | 'log' | 'send';

export interface PhaseClock {
  /** Ends the phase that was running and starts `phase`; its time adds up if it runs again. */
  enter(phase: Phase): void;
  /** Times a phase that runs beside the others, from now until `work` settles. */
  alongside<T>(phase: Phase, work: Promise<T>): Promise<T>;
  /** Writes the line, once, when --verbose asked for it. */
  report(): void;
}

const silent: PhaseClock = { enter: () => undefined, alongside: (_phase, work) => work, report: () => undefined };

/** Counts from the process start, so the first phase is the start-up (loading modules). */
export function phaseClock(ctx: Pick<Context, 'verbose' | 'stderr'>, now: () => number = () => performance.now()): PhaseClock {
  if (!ctx.verbose) return silent;
  const spent = new Map<Phase, number>();
  const beside = new Map<Phase, number>();
  let current: Phase = 'start-up';
  let since = 0;
  let reported = false;
  const stop = () => {
    const t = now();
    spent.set(current, (spent.get(current) ?? 0) + t - since);
    since = t;
  };
  return {
    enter(phase) {
      stop();
      current = phase;
    },
    alongside(phase, work) {
      const start = now();
      const done = () => void beside.set(phase, now() - start);
      work.then(done, done);
      return work;
    },
    report() {
      if (reported) return;
      reported = true;
      stop();
      const ms = (n: number) => `${Math.round(n)} ms`;
      const parts = [...spent].map(([p, n]) => `${p} ${ms(n)}`);
      for (const [p, n] of beside) parts.push(`${p} ${ms(n)} (alongside)`);
      ctx.stderr.write(`notify: timing: ${parts.join(', ')}; total ${ms(since)}\n`);
    },
  };
}
