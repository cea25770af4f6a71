/** Find and load the stakeholder map: --config, else NOTIFY_CONFIG, else notify.yaml here or in a parent. */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UsageError, type Diagnostic } from '../errors.js';
import type { StakeholderMap } from '../core/map.js';
import { cacheDisabled, loadedParser, loadParser, lookupMap, parserDeferred, storeMap } from './map-cache.js';

// The CLI loads the parser (and the yaml package) only when the map cache misses; any other importer gets it now.
const eagerParser = parserDeferred() ? undefined : await loadParser();

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

export interface LoadOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  config?: string;
  log?: string;
}

/** Load and validate; throws ConfigError (exit 2) listing every problem. Warnings are returned. */
export function loadMap(opts: LoadOptions): { map: StakeholderMap; warnings: string[] } {
  const file = findMap(opts.cwd, opts.env, opts.config);
  const shown = displayPath(opts.cwd, file);
  const useCache = !cacheDisabled(opts.env);
  const cached = useCache ? lookupMap(file, shown) : { hit: false as const };
  if (cached.hit) return finish(cached.map, cached.warnings, opts);
  const parser = loadedParser() ?? eagerParser;
  if (!parser) throw new Error('internal: the map parser was not loaded (prepareMap was not awaited)');
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
  if (useCache && cached.key) storeMap(file, cached.key, map, warnings);
  return finish(map, warnings, opts);
}

function finish(map: StakeholderMap, warnings: Diagnostic[], opts: LoadOptions): { map: StakeholderMap; warnings: string[] } {
  if (opts.log) map.log = path.resolve(opts.cwd, opts.log);
  return { map, warnings: warnings.map((d) => `${d.file}:${d.line}:${d.col}: warning: ${d.message}`) };
}
