/**
 * smtp.rate_per_second over a real pool on loopback: the server sees the MAIL FROM of each
 * message about 1000/rate ms after the one before, whichever connection it comes on; not a
 * batch at the start of each second. Gaps are asserted, with room for a busy machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { runNotify, tempDir } from '../helpers/workspace.js';

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
    smtp = await startSmtp({ onMailFrom: () => void starts.push(performance.now()) });
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notify.yaml'), map(10));
    const r = await runNotify(['close', 'prices', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(smtp.received).toHaveLength(CONTACTS.length);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    const shown = gaps.map(Math.round).join(' ');
    // 100 ms apart. A burst puts most MAIL FROM within a few ms of the one before; here a slow
    // fsync of an attempt line, or a connection still opening, may bring two closer, rarely more.
    expect(gaps.filter((g) => g < 50).length, shown).toBeLessThanOrEqual(2);
    const sorted = [...gaps].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)], shown).toBeGreaterThan(80);
    expect(sorted[Math.floor(sorted.length / 2)], shown).toBeLessThan(150);
  });
});
