/**
 * A cache of the validated map, keyed by a hash of its content, so everyday commands skip the
 * `yaml` package (about 40 ms to import, 170 ms to parse 1,000 parties). Only a map without
 * errors is cached, with its warnings: a map with errors is always parsed again, so errors
 * come from the real parser every time. Cache files live in `.notify/cache/` beside the map
 * (a folder that ignores itself in git); any failure to read or write them means a cold parse.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StakeholderMap } from '../domain/map.js';
import type { Diagnostic } from '../errors.js';

const FORMAT = 'notify-map-cache/1';
/** Bigger files are never cached; the parser refuses them with a clear error anyway. */
const MAX_CACHED_BYTES = 5 * 1024 * 1024;
const KEEP_FILES = 4;

export type Lookup =
  | { hit: true; map: StakeholderMap; warnings: Diagnostic[]; key: string; entry: CacheEntry }
  | { hit: false; text?: string; key?: string };

interface CacheEntry {
  format: string;
  key: string;
  map: StakeholderMap;
  warnings: Diagnostic[];
}

export function cacheDisabled(env: Record<string, string | undefined>): boolean {
  const v = env.NOTIFY_NO_CACHE;
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/**
 * The cache as one run sees it: the entries it has read or written stay in memory, so a second
 * load of the same map in that run reads no file.
 */
export class MapCache {
  /** JSON text of the entries found or written in this run, by key. */
  private readonly memo = new Map<string, string>();
  /** The entry prime() decoded, handed to the next lookup of the same key (once: callers may change it). */
  private primed: { key: string; entry: CacheEntry } | undefined;

  /** Looks the map up ahead of its first load; true when the cache has it. */
  prime(file: string): boolean {
    const found = this.lookup(file, file);
    if (found.hit) this.primed = { key: found.key, entry: found.entry };
    return found.hit;
  }

  /** `shown` is how the map is named in messages; cached warnings are re-labelled with it. */
  lookup(file: string, shown: string): Lookup {
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_CACHED_BYTES) return { hit: false };
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return { hit: false };
    }
    const key = cacheKey(file, text);
    if (this.primed?.key === key) {
      const { entry } = this.primed;
      this.primed = undefined;
      return hit(entry, key, shown);
    }
    let json = this.memo.get(key);
    if (json === undefined) {
      try {
        json = fs.readFileSync(path.join(cacheDir(file), `map-${key}.json`), 'utf8');
      } catch {
        return { hit: false, text, key };
      }
    }
    try {
      const entry = decode(json) as CacheEntry;
      if (entry.format !== FORMAT || entry.key !== key) return { hit: false, text, key };
      this.memo.set(key, json);
      return hit(entry, key, shown);
    } catch {
      return { hit: false, text, key };
    }
  }

  /** Best effort: a cache that cannot be written is no error. */
  store(file: string, key: string, map: StakeholderMap, warnings: Diagnostic[]): void {
    let json: string;
    try {
      json = encode({ format: FORMAT, key, map, warnings });
    } catch {
      return; // a value the cache cannot represent exactly: never cache it
    }
    this.memo.set(key, json);
    const dir = cacheDir(file);
    const target = path.join(dir, `map-${key}.json`);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(dir, { recursive: true });
      const ignore = path.join(dir, '.gitignore');
      if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# notify caches: rebuilt from the map and the log when missing\n*\n');
      fs.writeFileSync(tmp, json);
      fs.renameSync(tmp, target);
      prune(dir);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
}

function codeStamp(): string {
  // A rebuilt or upgraded notify rewrites this file: the validation rules may have changed.
  try {
    const st = fs.statSync(fileURLToPath(import.meta.url));
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'unknown';
  }
}

export function cacheKey(file: string, text: string): string {
  return createHash('sha256').update(`${FORMAT}\0${codeStamp()}\0${file}\0`).update(text).digest('hex');
}

export function cacheDir(mapFile: string): string {
  return path.join(path.dirname(mapFile), '.notify', 'cache');
}

function hit(entry: CacheEntry, key: string, shown: string): Lookup {
  return { hit: true, map: entry.map, warnings: entry.warnings.map((w) => ({ ...w, file: shown })), key, entry };
}

function prune(dir: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^map-[0-9a-f]{64}\.json$/.test(f))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }));
  if (files.length <= KEEP_FILES) return;
  files.sort((a, b) => b.t - a.t);
  for (const { f } of files.slice(KEEP_FILES)) fs.rmSync(path.join(dir, f), { force: true });
}

/**
 * JSON that round-trips Maps exactly: the paths of the Maps are listed beside the value, so
 * decoding is one JSON.parse and a few lookups. Anything JSON would change (Dates, Sets, class
 * instances, functions, non-finite numbers, Maps inside arrays or Maps) makes encode throw, so
 * such a value is never cached.
 */
export function encode(value: unknown): string {
  const maps: string[][] = [];
  return JSON.stringify({ maps, value: tag(value, [], maps, true) });
}

export function decode(json: string): unknown {
  const { maps, value } = JSON.parse(json) as { maps: string[][]; value: unknown };
  const root: Record<string, unknown> = { value };
  for (const p of maps) {
    const keys = ['value', ...p];
    // encode listed only paths through plain objects, ending at a Map's entries.
    let parent = root;
    for (const k of keys.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
    const last = keys[keys.length - 1];
    parent[last] = new Map(parent[last] as [unknown, unknown][]);
  }
  return root.value;
}

function tag(v: unknown, path: string[], maps: string[][], mapAllowed: boolean): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('not cacheable: non-finite number');
    return v;
  }
  if (Array.isArray(v)) {
    return v.map((x) => {
      if (x === undefined) throw new Error('not cacheable: undefined in an array');
      return tag(x, path, maps, false);
    });
  }
  if (v instanceof Map) {
    if (!mapAllowed) throw new Error('not cacheable: a Map inside an array or a Map');
    maps.push(path);
    return [...v].map(([k, x]) => [tag(k, path, maps, false), tag(x, path, maps, false)]);
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) if (x !== undefined) out[k] = tag(x, [...path, k], maps, mapAllowed);
    return out;
  }
  throw new Error(`not cacheable: ${typeof v}`);
}
