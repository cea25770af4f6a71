import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against a hung test, not a speed check: a test that runs the built CLI ten times in
    // a row took 39 s on two cores busy with three other processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A test spends much of its time waiting on the child processes and loopback servers it
    // starts: with one worker (the default on two cores) a core sat idle during those waits.
    maxWorkers: 4,
    // A worker runs its files one after another in one process, so vitest and the sources load
    // once per worker instead of once per file (about half a second of CPU a file). Tests must
    // not rely on a fresh module state: each builds its own context, folders and servers.
    isolate: false,
  },
});
