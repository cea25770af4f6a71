/**
 * An even pace for send starts: one every 1000/rate ms across all workers. A window counter
 * (n per second) lets a whole batch out at the start of each second, which is what throttling
 * providers refuse; and after a pause no burst catches up, the pace just goes on.
 */

export interface Pacer {
  /** Resolves at this caller's turn, or at once when the signal aborts (check it after). */
  wait(signal: AbortSignal): Promise<void>;
}

export function evenPacer(perSecond: number, now: () => number, sleep: (ms: number, signal: AbortSignal) => Promise<void>): Pacer {
  const gap = 1000 / perSecond;
  let next = -Infinity;
  return {
    async wait(signal) {
      const t = now();
      // The slot is taken before sleeping, so callers waiting at once get successive slots.
      const at = Math.max(t, next);
      next = at + gap;
      if (at > t) await sleep(at - t, signal);
    },
  };
}
