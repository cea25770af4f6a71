import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { loadMap } from '../../src/config/load.js';
import { cacheDir, decode, encode, lookupMap } from '../../src/config/map-cache.js';
import { ConfigError } from '../../src/errors.js';
import { SMALL_MAP } from '../fixtures/maps.js';
import { ROOT, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';

const NO_CACHE = { NOTIFY_NO_CACHE: '1' };
const cacheFiles = (dir: string) => (fs.existsSync(cacheDir(path.join(dir, 'notify.yaml'))) ? fs.readdirSync(cacheDir(path.join(dir, 'notify.yaml'))).filter((f) => f.startsWith('map-')) : []);

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('the map cache', () => {
  it('gives the same validated map as a cold parse, Maps included, for every example map', () => {
    for (const example of ['examples/assurance/notify.yaml', 'examples/retail/notify.yaml']) {
      const dir = scratchDir();
      fs.copyFileSync(path.join(ROOT, example), path.join(dir, 'notify.yaml'));
      const cold = loadMap({ cwd: dir, env: NO_CACHE });
      const first = loadMap({ cwd: dir, env: {} }); // parses and writes the cache
      expect(cacheFiles(dir)).toHaveLength(1);
      const lookup = lookupMap(path.join(dir, 'notify.yaml'), 'notify.yaml');
      expect(lookup.hit).toBe(true);
      const cached = loadMap({ cwd: dir, env: {} });
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
    const warm = errorOf(() => loadMap({ cwd: dir, env: {} }));
    const cold = errorOf(() => loadMap({ cwd: dir, env: NO_CACHE }));
    expect(warm).toBe(cold);
    expect(warm).toMatch(/^notify\.yaml:\d+:\d+: .*pricng/);
    const cli = await runNotify(['stakeholders'], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(warm.split('\n')[0]);
    // Fixed again: the earlier cache entry is valid again for the same content.
    writeMap(dir, SMALL_MAP);
    expect((await runNotify(['stakeholders', '--json'], { cwd: dir })).code).toBe(0);
  });

  it('names the map as the current directory sees it, and applies --log after the cache', () => {
    const dir = scratchDir();
    fs.mkdirSync(path.join(dir, 'team'));
    writeMap(path.join(dir, 'team'), SMALL_MAP);
    const fromTeam = loadMap({ cwd: path.join(dir, 'team'), env: {} });
    const fromRoot = loadMap({ cwd: dir, env: {}, config: 'team/notify.yaml', log: 'elsewhere.jsonl' });
    expect(fromRoot.map.log).toBe(path.join(dir, 'elsewhere.jsonl'));
    expect(fromTeam.map.log).toBe(path.join(dir, 'team', '.notify', 'log.jsonl'));
    expect(loadMap({ cwd: path.join(dir, 'team'), env: {} }).map.log).toBe(path.join(dir, 'team', '.notify', 'log.jsonl'));
  });

  it('ignores a corrupt or foreign cache file and parses again', () => {
    const dir = scratchDir();
    writeMap(dir, SMALL_MAP);
    const cold = loadMap({ cwd: dir, env: NO_CACHE });
    loadMap({ cwd: dir, env: {} });
    const [file] = cacheFiles(dir);
    const full = path.join(cacheDir(path.join(dir, 'notify.yaml')), file);
    fs.writeFileSync(full, '{"maps":[],"value":{"format":"other"}}');
    expect(loadMap({ cwd: dir, env: {} })).toEqual(cold);
    fs.writeFileSync(full, 'not json');
    expect(loadMap({ cwd: dir, env: {} })).toEqual(cold);
    expect(fs.readFileSync(path.join(cacheDir(path.join(dir, 'notify.yaml')), '.gitignore'), 'utf8')).toContain('*');
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
