/**
 * `engines` tells the truth: every Node version the package declares is one that each locked
 * dependency declares too (the tools that build and test it included), so neither an install nor a
 * clone's `npm ci` on the floor prints an EBADENGINE warning.
 * Ranges are read by a small reader of the forms npm packages use here (>=, >, <, <=, ^, ~, x.y, ||,
 * and space-separated comparators); a form it does not know fails the test instead of passing it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/workspace.js';

type Version = [number, number, number];
/** [from, to): `to` undefined is no upper bound. */
type Interval = { from: Version; to?: Version };

const INF: Version = [Infinity, 0, 0];

function cmp(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function version(text: string): { v: Version; parts: number } {
  // "10.x" and "10.*" mean "10", as in npm's ranges.
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.replace(/(\.[x*])+$/i, ''));
  if (!m) throw new Error(`unknown version form "${text}"`);
  return { v: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], parts: m.slice(1).filter((x) => x !== undefined).length };
}

/** One comparator ("^20.17.0", ">= 12", "18") as an interval. */
function comparator(text: string): Interval {
  // "*" (and "x"): any version.
  if (/^[*xX]$/.test(text.trim())) return { from: [0, 0, 0] };
  const m = /^(>=|>|<=|<|\^|~|)\s*(.+)$/.exec(text.trim());
  if (!m) throw new Error(`unknown range form "${text}"`);
  const { v, parts } = version(m[2]);
  switch (m[1]) {
    case '>=':
      return { from: v };
    case '>':
      if (parts < 3) throw new Error(`unknown range form "${text}"`);
      return { from: [v[0], v[1], v[2] + 1] };
    case '<':
      return { from: [0, 0, 0], to: v };
    case '<=':
      if (parts < 3) throw new Error(`unknown range form "${text}"`);
      return { from: [0, 0, 0], to: [v[0], v[1], v[2] + 1] };
    case '^':
      return { from: v, to: v[0] > 0 ? [v[0] + 1, 0, 0] : [0, v[1] + 1, 0] };
    case '~':
      return { from: v, to: parts === 1 ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0] };
    default:
      return { from: v, to: parts === 1 ? [v[0] + 1, 0, 0] : parts === 2 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1] };
  }
}

/** A range as a union of intervals; comparators joined by spaces intersect. */
export function parseRange(range: string): Interval[] {
  return range.split('||').map((alt) => {
    const parts = alt.trim().replace(/(>=|>|<=|<|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    if (parts.length === 0) throw new Error(`unknown range form "${range}"`);
    return parts.map(comparator).reduce((a, b) => ({ from: cmp(a.from, b.from) >= 0 ? a.from : b.from, to: !a.to ? b.to : !b.to ? a.to : cmp(a.to, b.to) <= 0 ? a.to : b.to }));
  });
}

export function satisfies(v: Version, range: string): boolean {
  return parseRange(range).some((i) => cmp(v, i.from) >= 0 && (!i.to || cmp(v, i.to) < 0));
}

/** Every version `inner` allows, `outer` allows too. */
export function isSubset(inner: string, outer: string): boolean {
  const merged: Interval[] = [];
  for (const i of parseRange(outer).sort((a, b) => cmp(a.from, b.from))) {
    const last = merged.at(-1);
    if (last && cmp(i.from, last.to ?? INF) <= 0) last.to = !last.to || !i.to ? undefined : cmp(i.to, last.to) > 0 ? i.to : last.to;
    else merged.push({ ...i });
  }
  return parseRange(inner).every((i) => merged.some((o) => cmp(i.from, o.from) >= 0 && cmp(i.to ?? INF, o.to ?? INF) <= 0));
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
const declared: string = pkg.engines.node;
const floor = parseRange(declared).map((i) => i.from).sort(cmp)[0];

/** Every package the lockfile installs, with its own engines.node when it has one. */
const locked = Object.entries<{ version: string; engines?: { node?: string } | string[] }>(lock.packages)
  .filter(([where]) => where.startsWith('node_modules/'))
  .map(([where, e]) => ({ name: `${where.replace(/^.*node_modules\//, '')}@${e.version}`, node: Array.isArray(e.engines) ? undefined : e.engines?.node }));

describe('engines.node is true of every locked dependency', () => {
  it('the range reader reads the forms that occur, and tells a subset from an overlap', () => {
    expect(satisfies([20, 17, 0], '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
    expect(satisfies([20, 12, 0], '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(false);
    expect(satisfies([21, 0, 0], '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(false);
    expect(satisfies([16, 0, 0], '^12.17.0 || ^14.13 || >=16.0.0')).toBe(true);
    expect(satisfies([15, 0, 0], '^12.17.0 || ^14.13 || >=16.0.0')).toBe(false);
    expect(satisfies([12, 0, 0], '>= 12')).toBe(true);
    expect(satisfies([20, 0, 0], '>=18 <20')).toBe(false);
    expect(isSubset('>=20.12', '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(false);
    expect(isSubset('^20.17.0 || ^22.13.0 || >=23.5.0', '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
    expect(isSubset('^20.17.0 || >=22.13.0', '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(false);
    expect(isSubset('^20.17.0 || >=22.13.0', '^20.17.0 || >=22.9.0')).toBe(true);
    expect(satisfies([10, 4, 0], '>= 10.x')).toBe(true);
    expect(satisfies([9, 9, 0], '>= 10.x')).toBe(false);
    expect(satisfies([20, 17, 0], '*')).toBe(true);
    expect(() => parseRange('latest')).toThrow(/unknown/);
  });

  it(`the floor ${floor.join('.')} and every version the declared range allows are allowed by each dependency`, () => {
    expect(locked.length).toBeGreaterThan(100);
    const refusing = locked.filter((d) => d.node !== undefined && !(satisfies(floor, d.node) && isSubset(declared, d.node)));
    expect(refusing.map((d) => `${d.name} wants node ${d.node}`)).toEqual([]);
  });

  it('the lockfile records the same engines as package.json, and CI runs the suite on the floor', () => {
    expect(lock.packages[''].engines).toEqual(pkg.engines);
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    const versions = /^for node in (.+); do$/m.exec(ci)?.[1].split(' ');
    expect(versions).toEqual(expect.arrayContaining([floor.join('.'), '22', '24']));
    expect(ci).toContain('npx -y -p "node@$node"');
  });
});
