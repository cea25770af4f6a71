import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { prepareMapLoader, type LoadOptions } from '../../src/config/load.js';
import { cacheDir, decode, encode, MapCache } from '../../src/config/map-cache.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { SMALL_MAP } from '../fixtures/maps.js';
import { ROOT, runNotify, spawnNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';

const NO_CACHE = { NOTIFY_NO_CACHE: '1' };
const cacheFiles = (dir: string) => (fs.existsSync(cacheDir(path.join(dir, 'notify.yaml'))) ? fs.readdirSync(cacheDir(path.join(dir, 'notify.yaml'))).filter((f) => f.startsWith('map-')) : []);

/** One run's load: the loader prepared first, as the CLI does before a command. */
const loadMap = async (o: LoadOptions) => (await prepareMapLoader(o)).load(o);

async function errorOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('the map cache', () => {
  it('gives the same validated map as a cold parse, Maps included, for every example map', async () => {
    for (const example of ['examples/assurance/notify.yaml', 'examples/retail/notify.yaml']) {
      const dir = scratchDir();
      fs.copyFileSync(path.join(ROOT, example), path.join(dir, 'notify.yaml'));
      const cold = await loadMap({ cwd: dir, env: NO_CACHE });
      const first = await loadMap({ cwd: dir, env: {} }); // parses and writes the cache
      expect(cacheFiles(dir)).toHaveLength(1);
      const lookup = new MapCache().lookup(path.join(dir, 'notify.yaml'), 'notify.yaml');
      expect(lookup.hit).toBe(true);
      const cached = await loadMap({ cwd: dir, env: {} });
      expect(cached.map.parties).toBeInstanceOf(Map);
      expect(cached).toEqual(cold);
      expect(first).toEqual(cold);
    }
  });

  it('is invalidated by any change to the map', async () => {
    const dir = scratchDir();
    writeMap(dir, SMALL_MAP);
    const before = await runNotify(['stakeholders', '--json'], { cwd: dir });
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout).map((r: any) => r.id)).not.toContain('press');
    writeMap(dir, SMALL_MAP.replace('projects:\n', '  press:\n    name: Press office\n    contacts: ["press@acme.test"]\nprojects:\n'));
    const after = await runNotify(['stakeholders', '--json'], { cwd: dir });
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout).map((r: any) => r.id)).toContain('press');
    // A one-character edit is a different map too.
    writeMap(dir, SMALL_MAP.replace('name: Sales', 'name: Saler'));
    const renamed = await runNotify(['stakeholders', '--json'], { cwd: dir });
    expect(JSON.parse(renamed.stdout).find((r: any) => r.id === 'sales').name).toBe('Saler');
  });

  it('never hides an error: a broken map fails with file:line whether a cache exists or not', async () => {
    const dir = scratchDir();
    writeMap(dir, SMALL_MAP);
    expect((await runNotify(['stakeholders'], { cwd: dir })).code).toBe(0);
    const broken = SMALL_MAP.replace('affected_by: [pricing]', 'affected_by: [pricng]');
    writeMap(dir, broken);
    const warm = await errorOf(() => loadMap({ cwd: dir, env: {} }));
    const cold = await errorOf(() => loadMap({ cwd: dir, env: NO_CACHE }));
    expect(warm).toBe(cold);
    expect(warm).toMatch(/^notify\.yaml:\d+:\d+: .*pricng/);
    const cli = await runNotify(['stakeholders'], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(warm.split('\n')[0]);
    // Fixed again: the earlier cache entry is valid again for the same content.
    writeMap(dir, SMALL_MAP);
    expect((await runNotify(['stakeholders', '--json'], { cwd: dir })).code).toBe(0);
  });

  it('names the map as the current directory sees it, and applies --log after the cache', async () => {
    const dir = scratchDir();
    fs.mkdirSync(path.join(dir, 'team'));
    writeMap(path.join(dir, 'team'), SMALL_MAP);
    const fromTeam = await loadMap({ cwd: path.join(dir, 'team'), env: {} });
    const fromRoot = await loadMap({ cwd: dir, env: {}, config: 'team/notify.yaml', log: 'elsewhere.jsonl' });
    expect(fromRoot.map.log).toBe(path.join(dir, 'elsewhere.jsonl'));
    expect(fromTeam.map.log).toBe(path.join(dir, 'team', '.notify', 'log.jsonl'));
    expect((await loadMap({ cwd: path.join(dir, 'team'), env: {} })).map.log).toBe(path.join(dir, 'team', '.notify', 'log.jsonl'));
  });

  it('ignores a corrupt or foreign cache file and parses again', async () => {
    const dir = scratchDir();
    writeMap(dir, SMALL_MAP);
    const cold = await loadMap({ cwd: dir, env: NO_CACHE });
    await loadMap({ cwd: dir, env: {} });
    const [file] = cacheFiles(dir);
    const full = path.join(cacheDir(path.join(dir, 'notify.yaml')), file);
    fs.writeFileSync(full, '{"maps":[],"value":{"format":"other"}}');
    expect(await loadMap({ cwd: dir, env: {} })).toEqual(cold);
    fs.writeFileSync(full, 'not json');
    expect(await loadMap({ cwd: dir, env: {} })).toEqual(cold);
    expect(fs.readFileSync(path.join(cacheDir(path.join(dir, 'notify.yaml')), '.gitignore'), 'utf8')).toContain('*');
  });

  it('a loader prepared on a cache hit needs no parser, and gives a fresh map to each load', async () => {
    const dir = scratchDir();
    writeMap(dir, SMALL_MAP);
    await loadMap({ cwd: dir, env: {} }); // an earlier run filled the cache
    const where = { cwd: dir, env: {} };
    const loader = await prepareMapLoader(where);
    const first = loader.load(where);
    const second = loader.load({ ...where, log: 'other.jsonl' });
    // --log changes the map it is given: one load never leaks into the next.
    expect(first.map.log).toBe(path.join(dir, '.notify', 'log.jsonl'));
    expect(second.map.log).toBe(path.join(dir, 'other.jsonl'));
    expect(second.map.parties).toEqual(first.map.parties);
    // Prepared without the parser, it cannot parse a map that changed since: it says so.
    writeMap(dir, SMALL_MAP.replace('name: Sales', 'name: Saler'));
    expect(() => loader.load(where)).toThrow(UsageError);
    expect(() => loader.load(where)).toThrow('notify.yaml changed while notify was reading it');
    // Without the cache the parser is loaded up front.
    const cold = await prepareMapLoader({ ...where, env: NO_CACHE });
    expect(cold.load({ ...where, env: NO_CACHE }).map.parties.get('sales')?.name).toBe('Saler');
  });

  it('a warm start never imports the yaml package; a cold one does', async () => {
    const dir = scratchDir();
    writeMap(dir, SMALL_MAP);
    const env = { NODE_OPTIONS: `--import ${path.join(import.meta.dirname, 'report-yaml-import.mjs')}` };
    const cold = await spawnNotify(['stakeholders', '--json'], { cwd: dir, env });
    expect(cold.exitCode, cold.stderr).toBe(0);
    expect(cold.stderr).toContain('[yaml imported]');
    const warm = await spawnNotify(['stakeholders', '--json'], { cwd: dir, env });
    expect(warm.exitCode, warm.stderr).toBe(0);
    expect(warm.stderr).not.toContain('[yaml imported]');
    expect(JSON.parse(warm.stdout)).toEqual(JSON.parse(cold.stdout));
  });

  it('round-trips Maps and refuses what JSON would change', () => {
    const value = { a: new Map([['x', { pos: { line: 1, col: 2 }, list: ['p', 'q'] }]]), b: { c: new Map() }, n: null, skip: undefined };
    expect(decode(encode(value))).toEqual({ a: value.a, b: value.b, n: null });
    expect(() => encode({ d: new Date() })).toThrow();
    expect(() => encode({ s: new Set([1]) })).toThrow();
    expect(() => encode({ list: [new Map()] })).toThrow();
    expect(() => encode({ n: Number.NaN })).toThrow();
  });
});
