/** Find where a value was written in the map's YAML, for findings made after validation. */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Pos } from '../core/map.js';
import type { YamlSource } from '../config/yaml-source.js';

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
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === step);
    if (!pair) return undefined;
    node = key && i === steps.length - 1 ? pair.key : pair.value;
  }
  return (node ?? undefined) as Node | undefined;
}

export function posAt(src: YamlSource, steps: (string | number)[], key = false): Pos {
  const node = nodeAt(src, steps, key);
  return node ? src.pos(node) : { line: 1, col: 1 };
}
