/**
 * smtp.rate_per_second over a real pool on loopback: the server sees the MAIL FROM of each
 * message about 1000/rate ms after the one before, whichever connection it comes on; not a
 * batch at the start of each second. The exact spacing is tested on a fake clock in
 * test/core/pacer.test.ts; on the real one, what no load on the machine can change is asserted:
 * the n-th send cannot start before n slots have passed since the decisions were recorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { readLogEvents, runNotify, tempDir } from '../helpers/workspace.js';

const CONTACTS = Array.from({ length: 12 }, (_, i) => `c${i}@acme.test`);

function map(rate: number): string {
  return `version: 1
from: "Projects <projects@acme.test>"
smtp:
  pool:
    max_connections: 3
    rate_per_second: ${rate}
parties:
  stores:
    contacts: [${CONTACTS.map((c) => `"${c}"`).join(', ')}]
projects:
  prices:
    parties: [stores]
    summary: "New prices"
`;
}

let smtp: TestSmtp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await smtp?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('smtp.rate_per_second', () => {
  it('spreads the sends evenly across the pooled connections', async () => {
    const starts: number[] = [];
    // On the clock of the log's timestamps.
    smtp = await startSmtp({ onMailFrom: () => void starts.push(Date.now()) });
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notify.yaml'), map(10));
    const r = await runNotify(['close', 'prices', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(smtp.received).toHaveLength(CONTACTS.length);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // The first slot comes after the decisions were recorded (and made durable).
    const decided = Date.parse(readLogEvents(dir).find((e) => e.event === 'close.planned').ts);
    const shown = `gaps ${gaps.join(' ')}; since the decisions ${starts.map((t) => t - decided).join(' ')}`;
    // 100 ms apart: the i-th MAIL FROM is at least 100·i ms after the first slot (2 ms for timers
    // that fire on the millisecond before). A batch or a burst puts most of them within a few ms
    // of the first. A busy machine only delays a send, which may then come close to the next:
    // so the gaps are not bounded below.
    starts.forEach((t, i) => expect(t - decided, shown).toBeGreaterThanOrEqual(100 * i - 2));
    // Not much slower than asked either; room for a busy machine, the pace is not the point here.
    const sorted = [...gaps].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)], shown).toBeLessThan(250);
  });
});
