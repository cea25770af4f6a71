/** Parties from the diff: which parties' paths: globs match the changed files, with those files as the reason. */
import picomatch from 'picomatch';
import type { StakeholderMap } from '../../domain/map.js';

const SHOWN = 3;

/**
 * CODEOWNERS-like reading of a glob, relative to the map's folder: "/x" is anchored there,
 * a pattern with no other slash ("*.tf", "docs/") matches at any depth, "dir/" means everything under it.
 */
export function globFor(pattern: string): string {
  let p = pattern.trim();
  const anchored = p.startsWith('/');
  if (anchored) p = p.replace(/^\/+/, '');
  if (p.endsWith('/')) p += '**';
  const inner = p.replace(/\/\*\*$/, '');
  if (!anchored && !inner.includes('/') && !p.startsWith('**')) p = `**/${p}`;
  return p;
}

export function reasonsFromPaths(map: StakeholderMap, files: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const party of map.parties.values()) {
    if (party.paths.length === 0) continue;
    // dot: true so .github/ and similar folders match like any other path.
    const isMatch = picomatch(party.paths.map(globFor), { dot: true });
    const hits = files.filter((f) => isMatch(f));
    if (hits.length === 0) continue;
    const more = hits.length > SHOWN ? ` and ${hits.length - SHOWN} more` : '';
    out.set(party.id, [`changed: ${hits.slice(0, SHOWN).join(', ')}${more}`]);
  }
  return out;
}
