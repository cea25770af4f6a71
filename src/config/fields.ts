/** Typed field readers over YAML nodes: each reports a positioned problem and returns undefined. */
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { parseAddress, type Address } from '../domain/address.js';
import { didYouMean } from '../domain/slug.js';
import type { YamlSource } from './yaml-source.js';

export type Entry = { key: Scalar; value: Node | null; name: string };

/** The pairs of a map, with unknown keys reported ("did you mean"). */
export function entries(src: YamlSource, node: unknown, what: string, allowed?: readonly string[]): Entry[] {
  if (!isMap(node)) {
    src.error(node as Node, `${what} must be a mapping of keys to values`);
    return [];
  }
  const out: Entry[] = [];
  for (const pair of (node as YAMLMap).items as Pair<Scalar, Node | null>[]) {
    const key = pair.key;
    const name = isScalar(key) ? String(key.value) : '';
    if (allowed && !allowed.includes(name)) {
      src.error(key, `unknown key "${name}" in ${what}${didYouMean(name, allowed)}`);
      continue;
    }
    out.push({ key, value: pair.value ?? null, name });
  }
  return out;
}

/** `key:` with nothing after it: the library gives a null scalar, not a missing value. */
export function isBlank(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export function str(src: YamlSource, node: Node | null, what: string, opts: { header?: boolean } = {}): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    const shown = isScalar(node) ? ` (found ${JSON.stringify(node.value)}; quote it)` : '';
    src.error(node ?? undefined, `${what} must be a string${shown}`);
    return undefined;
  }
  const value = node.value;
  if (opts.header && /[\r\n]/.test(value)) {
    src.error(node, `${what} contains a line break; it ends up in a mail header, keep it on one line`);
    return undefined;
  }
  if (value.trim() === '') {
    src.error(node, `${what} is empty`);
    return undefined;
  }
  return value;
}

export function bool(src: YamlSource, node: Node | null, what: string): boolean | undefined {
  if (!isScalar(node) || typeof node.value !== 'boolean') {
    src.error(node ?? undefined, `${what} must be true or false`);
    return undefined;
  }
  return node.value;
}

export function positiveNumber(src: YamlSource, node: Node | null, what: string): number | undefined {
  if (!isScalar(node) || typeof node.value !== 'number' || !(node.value > 0) || !Number.isFinite(node.value)) {
    src.error(node ?? undefined, `${what} must be a positive number`);
    return undefined;
  }
  return node.value;
}

/** A list of strings, each with its node (for positions of later cross-reference errors). */
export function strList(src: YamlSource, node: Node | null, what: string): { value: string; node: Node }[] {
  if (!isSeq(node)) {
    src.error(node ?? undefined, `${what} must be a list, e.g. [a, b]`);
    return [];
  }
  const out: { value: string; node: Node }[] = [];
  for (const item of node.items as Node[]) {
    const value = str(src, item, `each entry of ${what}`);
    if (value !== undefined) out.push({ value, node: item });
  }
  return out;
}

export function address(src: YamlSource, node: Node | null, what: string): Address | undefined {
  const raw = str(src, node, what);
  if (raw === undefined) return undefined;
  const parsed = parseAddress(raw);
  if (typeof parsed === 'string') {
    src.error(node, `${what} "${raw}" ${parsed}`);
    return undefined;
  }
  return parsed;
}

/**
 * A path as written, relative to the map's folder `dir` and staying inside it: the log is
 * written there, a template is read and mailed, so nothing the map names may be outside.
 */
export function pathInside(src: YamlSource, node: Node | null, what: string, dir: string): string | undefined {
  const p = str(src, node, what);
  if (p === undefined) return undefined;
  const rel = path.relative(dir, path.resolve(dir, p));
  if (path.isAbsolute(p) || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    src.error(node, `${what} "${p}" must be a relative path inside the map's directory`);
    return undefined;
  }
  return p;
}
