import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressReporter } from '../../src/app/close/checklist.js';
import type { Context } from '../../src/context.js';
import { plainStyle } from '../../src/adapters/terminal/style.js';
import type { Prepared } from '../../src/domain/execute.js';

/** The reporter's clock is the context's: each test moves it by hand. */
let now = 1_000_000;

function fakeContext(tty: boolean): { ctx: Context; writes: string[] } {
  const writes: string[] = [];
  const ctx = { tty, quiet: false, color: false, style: plainStyle, now: () => new Date(now), stderr: { write: (t: string) => void writes.push(t) } } as unknown as Context;
  return { ctx, writes };
}

const item = (i: number) => ({ delivery: { parties: ['stores'] }, message: { to: `r${i}@x.test` } }) as unknown as Prepared;
const sent = { status: 'sent' as const, response: '250' };

describe('progress of a long send', () => {
  afterEach(() => vi.restoreAllMocks());

  it('on a terminal, redraws a counter at most ten times a second, with the pace after a second, and ends with the total', () => {
    now = 1_000_000;
    const { ctx, writes } = fakeContext(true);
    const r = progressReporter(ctx, 10_000);
    for (let i = 0; i < 5_000; i++) r.onResult(item(i), sent); // all within the same instant
    expect(writes).toEqual(['\r\x1b[K  1/10000 sent']);
    now += 150;
    for (let i = 5_000; i < 7_999; i++) r.onResult(item(i), sent);
    expect(writes[1]).toBe('\r\x1b[K  5001/10000 sent');
    now += 1_850; // two seconds in: 8,000 sent, 4,000 a second, 2,000 left
    r.onResult(item(7_999), sent);
    expect(writes[2]).toBe('\r\x1b[K  8000/10000 sent (4000/s, about 1 s left)');
    for (let i = 8_000; i < 9_999; i++) r.onResult(item(i), sent);
    r.onResult(item(9_999), { status: 'failed', code: 550, text: 'no such user', permanent: true });
    expect(writes[3]).toContain('r9999@x.test [stores] 550 no such user\n');
    now += 500;
    r.done();
    expect(writes.at(-1)).toBe('\r\x1b[K  10000/10000 sent, 1 not sent in 2.5 s (4000/s)\n');
  });

  it('without a terminal, prints a plain line every three seconds', () => {
    now = 1_000_000;
    const { ctx, writes } = fakeContext(false);
    const r = progressReporter(ctx, 1_000);
    for (let i = 0; i < 1_000; i++) {
      now += 10; // 10 s in all
      r.onResult(item(i), sent);
    }
    r.done();
    expect(writes).toEqual(['  300/1000 sent (100/s, about 7 s left)\n', '  600/1000 sent (100/s, about 4 s left)\n', '  900/1000 sent (100/s, about 1 s left)\n', '  1000/1000 sent in 10.0 s (100/s)\n']);
  });
});
