/** Find and load the stakeholder map: --config, else NOTIFY_CONFIG, else notify.yaml here or in a parent. */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UsageError, type Diagnostic } from '../errors.js';
import type { StakeholderMap } from '../domain/map.js';
import { cacheDisabled, MapCache } from './map-cache.js';
import type { ParsedMap } from './parse-map.js';

export const MAP_FILE = 'notify.yaml';

export function findMap(cwd: string, env: Record<string, string | undefined>, flag?: string): string {
  const explicit = flag ?? env.NOTIFY_CONFIG;
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!fs.existsSync(file)) throw new UsageError(`${explicit}: no such file (from ${flag ? '--config' : 'NOTIFY_CONFIG'})`);
    return file;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, MAP_FILE);
    if (fs.existsSync(file)) return file;
    if (path.dirname(dir) === dir) break;
  }
  throw new UsageError(`no ${MAP_FILE} found in ${cwd} or its parents`, `create one with "notify init", or point at one with --config FILE or NOTIFY_CONFIG`);
}

export function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Where the map is looked for. */
export interface MapLocation {
  cwd: string;
  env: Record<string, string | undefined>;
  config?: string;
}

export interface LoadOptions extends MapLocation {
  log?: string;
}

export interface LoadedMap {
  map: StakeholderMap;
  /** file:line:col: warning: ..., ready to print. */
  warnings: string[];
}

/** The map parser, and with it the yaml package (about 40 ms to import). */
interface Parser {
  parseMap(text: string, file: string, displayName: string): ParsedMap;
  maxFileBytes: number;
}

/**
 * Loads the validated map for one run. Made by prepareMapLoader before the command runs, with
 * what it needed then: a map the cache knows is loaded without the parser ever being imported.
 */
export class MapLoader {
  constructor(
    private readonly cache: MapCache,
    private readonly parser: Parser | undefined,
    /** The map file found when the loader was prepared, if any. */
    private readonly prepared: string | undefined,
  ) {}

  /** Throws ConfigError (exit 2) listing every problem; warnings are returned. */
  load(opts: LoadOptions): LoadedMap {
    const file = findMap(opts.cwd, opts.env, opts.config);
    const shown = displayPath(opts.cwd, file);
    const useCache = !cacheDisabled(opts.env);
    const cached = useCache ? this.cache.lookup(file, shown) : { hit: false as const };
    if (cached.hit) return finish(cached.map, cached.warnings, opts);
    const parser = this.parser ?? this.noParser(file, shown);
    const stat = fs.statSync(file);
    if (stat.size > parser.maxFileBytes) {
      throw new ConfigError([{ file: shown, line: 1, col: 1, message: `file is larger than ${parser.maxFileBytes / 1024 / 1024} MB; a stakeholder map is never that big`, severity: 'error' }]);
    }
    const text = cached.text ?? fs.readFileSync(file, 'utf8');
    const { map, diagnostics } = parser.parseMap(text, file, shown);
    // In file order, so the list reads top to bottom beside the map.
    const errors = diagnostics.filter((d) => d.severity === 'error').sort((a, b) => a.line - b.line || a.col - b.col);
    if (!map || errors.length > 0) throw new ConfigError(errors, 'fix the lines above; nothing was sent');
    const warnings = diagnostics.filter((d) => d.severity === 'warning');
    if (useCache && cached.key) this.cache.store(file, cached.key, map, warnings);
    return finish(map, warnings, opts);
  }

  /** The cache had the map when the loader was prepared, and no longer has it. */
  private noParser(file: string, shown: string): never {
    if (this.prepared === undefined || this.prepared === file) throw new UsageError(`${shown} changed while notify was reading it`, 'run the same command again');
    throw new Error(`internal: the map loader was prepared for ${this.prepared}, not for ${file}`);
  }
}

/**
 * Called before a command runs: looks the map up in the cache, and imports the parser only when
 * the cache misses (or is off). When there is no map, the command itself reports it.
 */
export async function prepareMapLoader(where: MapLocation): Promise<MapLoader> {
  const cache = new MapCache();
  let file: string | undefined;
  try {
    file = findMap(where.cwd, where.env, where.config);
  } catch {
    return new MapLoader(cache, undefined, undefined);
  }
  const hit = !cacheDisabled(where.env) && cache.prime(file);
  return new MapLoader(cache, hit ? undefined : await loadParser(), file);
}

async function loadParser(): Promise<Parser> {
  const [{ parseMap }, { MAX_FILE_BYTES }] = await Promise.all([import('./parse-map.js'), import('./yaml-source.js')]);
  return { parseMap, maxFileBytes: MAX_FILE_BYTES };
}

function finish(map: StakeholderMap, warnings: Diagnostic[], opts: LoadOptions): LoadedMap {
  if (opts.log) map.log = path.resolve(opts.cwd, opts.log);
  return { map, warnings: warnings.map((d) => `${d.file}:${d.line}:${d.col}: warning: ${d.message}`) };
}
