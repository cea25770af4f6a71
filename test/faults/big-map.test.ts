/**
 * A map near the 5 MB cap takes seconds to parse: Ctrl-C and SIGTERM must not wait for it.
 * Outside a send no JavaScript handler stands between a signal and its default action.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMap } from '../helpers/workspace.js';
import { largeMapText } from '../fixtures/maps.js';
import { scratchDir, spawnCli } from './fixture.js';

describe('a signal during a long parse', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s ends `notify validate` at once, in the middle of parsing a big map', async (signal, code) => {
    const dir = scratchDir('notify-big-map-');
    writeMap(dir, largeMapText(50_000));
    // The preload says on stderr when the map has been read: the parse starts right after.
    const preload = path.join(import.meta.dirname, 'mark-map-read.mjs');
    const child = spawnCli(['validate'], dir, { NOTIFY_NO_CACHE: '1', NODE_OPTIONS: `--import=${preload}` });
    await child.stderrHas('[map read]');
    const sent = performance.now();
    child.kill(signal);
    // Not ended within seconds: the test fails and stops the child rather than wait for the parse.
    const ended = await Promise.race([child.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 5000))]);
    const ms = performance.now() - sent;
    if (!ended) child.kill('SIGKILL');
    const r = await child;
    expect(ended, `still running ${Math.round(ms)} ms after ${signal}`).toBe(true);
    expect(ms).toBeLessThan(1000);
    expect(r.signal === signal || r.exitCode === code, `exit ${r.exitCode} ${r.signal}`).toBe(true);
  });
});
