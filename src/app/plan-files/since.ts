/** --since REF: reasons per party from the files changed between REF and HEAD. */
import type { StakeholderMap } from '../../domain/map.js';
import { changedFiles } from '../../adapters/git/git.js';
import { reasonsFromPaths } from './paths.js';

export async function sinceReasons(map: StakeholderMap, since: string | undefined): Promise<Map<string, string[]> | undefined> {
  if (since === undefined) return undefined;
  return reasonsFromPaths(map, await changedFiles(map.dir, since));
}

export function mergeReasons(a: Map<string, string[]> | undefined, b: Map<string, string[]> | undefined): Map<string, string[]> | undefined {
  if (!a || !b) return a ?? b;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, [...(out.get(k) ?? []), ...v]);
  return out;
}
