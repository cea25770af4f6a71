import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { findMap, prepareMapLoader, type LoadOptions } from '../../src/config/load.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { ROOT, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();
/** One run's load: the loader prepared first, as the CLI does before a command. */
const loadMap = async (o: LoadOptions) => (await prepareMapLoader(o)).load(o);

const VALID = 'version: 1\nfrom: a@x.com\nparties:\n  s:\n    contacts: [a@x.com]\n';

describe('the example maps validate', () => {
  it.each(['examples/assurance/notify.yaml', 'examples/retail/notify.yaml'])('%s', async (file) => {
    // No cache: it would be written into the checkout, beside the example.
    const { map, warnings } = await loadMap({ cwd: ROOT, env: { NOTIFY_NO_CACHE: '1' }, config: file });
    expect(warnings).toEqual([]);
    expect(map.parties.size).toBeGreaterThanOrEqual(3);
    expect(map.projects.size).toBeGreaterThanOrEqual(1);
    expect([...map.parties.values()].some((p) => p.always)).toBe(true);
  });
});

describe('finding and loading the map', () => {
  it('--config wins over NOTIFY_CONFIG, which wins over notify.yaml in the nearest parent', () => {
    const dir = tempDir();
    const sub = path.join(dir, 'a', 'b');
    fs.mkdirSync(sub, { recursive: true });
    const parent = writeMap(dir, VALID);
    const other = writeMap(dir, VALID, 'other.yaml');
    const third = writeMap(dir, VALID, 'third.yaml');
    expect(findMap(sub, {})).toBe(parent);
    expect(findMap(sub, { NOTIFY_CONFIG: other })).toBe(other);
    expect(findMap(sub, { NOTIFY_CONFIG: other }, third)).toBe(third);
  });

  it('a missing map is a usage error that says how to make one', () => {
    const dir = tempDir();
    expect(() => findMap(dir, {}, 'nope.yaml')).toThrow(UsageError);
    expect(() => findMap(dir, {}, 'nope.yaml')).toThrow('nope.yaml: no such file (from --config)');
    expect(() => findMap(dir, { NOTIFY_CONFIG: 'gone.yaml' })).toThrow('gone.yaml: no such file (from NOTIFY_CONFIG)');
  });

  it('a bad map throws one ConfigError (exit 2) naming the file relative to the cwd', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'team'));
    writeMap(path.join(dir, 'team'), 'version: 1\nfrom: a@x.com\nparties:\n  s:\n    contacts: ["a@x.com, b@x.com"]\n    afected_by: []\n');
    let err: unknown;
    try {
      await loadMap({ cwd: dir, env: {}, config: 'team/notify.yaml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.exitCode).toBe(2);
    // In file order, whatever order the checks ran in.
    expect(e.message.split('\n')).toEqual([
      'team/notify.yaml:5:16: party "s" contact "a@x.com, b@x.com" holds more than one address; list each contact separately',
      'team/notify.yaml:6:5: unknown key "afected_by" in party "s" (did you mean "affected_by"?)',
    ]);
    expect(e.hint).toMatch(/nothing was sent/);
  });

  it('--log overrides the map\'s log, relative to the cwd', async () => {
    const dir = tempDir();
    writeMap(dir, VALID);
    expect((await loadMap({ cwd: dir, env: {}, log: 'elsewhere/x.jsonl' })).map.log).toBe(path.join(dir, 'elsewhere', 'x.jsonl'));
  });
});
