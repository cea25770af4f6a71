/**
 * rate_per_second spreads send starts evenly (one every 1000/rate ms, across all workers)
 * instead of letting a batch out at the start of each second. Driven on a fake clock.
 */
import { describe, expect, it } from 'vitest';
import { evenPacer } from '../../src/domain/pacer.js';
import { executeDeliveries, type Prepared } from '../../src/domain/execute.js';
import type { OutgoingMessage, Transport } from '../../src/domain/transport.js';

/** A clock that only moves when every sleeper is waiting: it jumps to the earliest wake-up. */
function fakeClock() {
  let t = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => t,
    sleep: (ms: number, signal: AbortSignal) =>
      new Promise<void>((wake) => {
        sleepers.push({ at: t + ms, wake });
        signal.addEventListener('abort', () => wake(), { once: true });
      }),
    /** Runs `work` to its end, moving the clock forward whenever nothing else can happen. */
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const result = work.finally(() => (done = true));
      while (!done) {
        await settle();
        if (done || sleepers.length === 0) continue;
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift()!;
        t = Math.max(t, next.at);
        next.wake();
      }
      return result;
    },
  };
}

const never = new AbortController().signal;

describe('evenPacer', () => {
  it('lets one start through every 1000/rate ms, to callers waiting at once as to callers in turn', async () => {
    const clock = fakeClock();
    const pacer = evenPacer(4, clock.now, clock.sleep);
    const starts: number[] = [];
    const start = () => pacer.wait(never).then(() => void starts.push(clock.now()));
    await clock.run(Promise.all([start(), start(), start()]));
    await clock.run(start());
    await clock.run(start());
    expect(starts).toEqual([0, 250, 500, 750, 1000]);
  });

  it('after a pause, goes on at the same pace: no burst to catch up', async () => {
    const clock = fakeClock();
    const pacer = evenPacer(10, clock.now, clock.sleep);
    const starts: number[] = [];
    const start = () => pacer.wait(never).then(() => void starts.push(clock.now()));
    await clock.run(Promise.all([start(), start()]));
    await clock.run(clock.sleep(5_000, never));
    await clock.run(Promise.all([start(), start(), start()]));
    expect(starts).toEqual([0, 100, 5_100, 5_200, 5_300]);
  });

  it('a signal ends the wait at once', async () => {
    const clock = fakeClock();
    const pacer = evenPacer(1, clock.now, clock.sleep);
    const controller = new AbortController();
    await clock.run(pacer.wait(controller.signal));
    const waiting = pacer.wait(controller.signal);
    controller.abort('SIGTERM');
    await waiting;
    expect(clock.now()).toBe(0);
  });
});

describe('executeDeliveries with a transport that has a rate', () => {
  const items: Prepared[] = Array.from({ length: 8 }, (_, i) => ({
    delivery: { key: `p${i}@x.org`, to: { address: `p${i}@x.org` }, parties: ['all'], messageId: `<m${i}@x.org>`, locale: 'en' },
    message: { from: 'projects@x.org', to: `p${i}@x.org`, raw: Buffer.from('x') },
  }));

  it('starts the sends of all workers one every 1000/rate ms, retries included', async () => {
    const clock = fakeClock();
    const starts: number[] = [];
    let refusedOnce = false;
    const transport: Transport = {
      kind: 'smtp',
      ratePerSecond: 4,
      verify: async () => undefined,
      close: () => undefined,
      send: async (m: OutgoingMessage) => {
        starts.push(clock.now());
        if (m.to === 'p2@x.org' && !refusedOnce) return (refusedOnce = true), { status: 'failed', code: 451, text: 'later', permanent: false };
        return { status: 'sent', response: '250 ok' };
      },
    };
    const result = await clock.run(
      executeDeliveries(items, transport, { append: async () => undefined }, { project: 'p', concurrency: 3, retryDelaysMs: [0], signal: never, sleep: clock.sleep, now: clock.now }),
    );
    expect(result).toMatchObject({ sent: 8, failed: 0 });
    expect(starts).toEqual(Array.from({ length: 9 }, (_, i) => i * 250));
  });

  it('without a rate, nothing waits', async () => {
    const clock = fakeClock();
    const starts: number[] = [];
    const transport: Transport = { kind: 'smtp', verify: async () => undefined, close: () => undefined, send: async () => (starts.push(clock.now()), { status: 'sent', response: '250 ok' }) };
    await clock.run(executeDeliveries(items, transport, { append: async () => undefined }, { project: 'p', concurrency: 3, retryDelaysMs: [], signal: never, sleep: clock.sleep, now: clock.now }));
    expect(starts).toEqual(items.map(() => 0));
  });
});
