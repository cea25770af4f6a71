/** Find where a value was written in the map's YAML, for findings made after validation. */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Pos } from '../../domain/map.js';
import type { YamlSource } from '../../config/yaml-source.js';

/** Each mapping's pairs by key, built on first use: a finding per party must not scan every party. */
const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = indexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) if (isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
    indexes.set(map, index);
  }
  return index.get(key);
}

/** The node at a path of keys and list indexes; with `key`, the key node of the last step instead. */
export function nodeAt(src: YamlSource, steps: (string | number)[], key = false): Node | undefined {
  let node: unknown = src.doc?.contents;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (typeof step === 'number') {
      if (!isSeq(node)) return undefined;
      node = node.items[step];
      continue;
    }
    if (!isMap(node)) return undefined;
    const pair = pairOf(node, step);
    if (!pair) return undefined;
    node = key && i === steps.length - 1 ? pair.key : pair.value;
  }
  return (node ?? undefined) as Node | undefined;
}

export function posAt(src: YamlSource, steps: (string | number)[], key = false): Pos {
  const node = nodeAt(src, steps, key);
  return node ? src.pos(node) : { line: 1, col: 1 };
}
