/**
 * A map near the 5 MB cap is validated in seconds: no step may compare every key or party with
 * every other (the yaml package's own duplicate-key check did, and took minutes on 60,000 parties).
 */
import { describe, expect, it } from 'vitest';
import { validateWorkspace } from '../../src/app/validate/validate-workspace.js';
import { writeMap } from '../helpers/workspace.js';
import { largeMapText } from '../fixtures/maps.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();

/**
 * Milliseconds of CPU to validate a map of `parties` parties, which must be clean. CPU time, not
 * wall time: other processes on a busy machine do not count against it.
 */
function validateTime(parties: number): number {
  const dir = tempDir();
  writeMap(dir, largeMapText(parties));
  const started = process.cpuUsage();
  const r = validateWorkspace({ cwd: dir, env: { NOTIFY_NO_CACHE: '1' } });
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000;
  expect(r.findings).toEqual([]);
  expect(r.map?.parties.size).toBe(parties);
  return ms;
}

describe('a large map', () => {
  it('takes time in proportion to its size: 4 times the parties, well under 8 times the time', () => {
    validateTime(1000); // warm-up, so the first measure is not the compiler's
    const small = validateTime(4000);
    const big = validateTime(16_000);
    // Linear is about 4x; the quadratic duplicate-key check made it 10x and more.
    expect(big / small, `${Math.round(small)} ms for 4,000 parties, ${Math.round(big)} ms for 16,000`).toBeLessThan(8);
  }, 120_000);
});
