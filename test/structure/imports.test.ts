/**
 * The shape of src/: no import cycle (static, dynamic or type-only), and core/ stays pure,
 * importing nothing from io/ or commands/ (STYLE.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/workspace.js';

const SRC = path.join(ROOT, 'src');

/** Every .ts file of src/ (relative, with forward slashes) and the src/ files it imports. */
function importGraph(): Map<string, string[]> {
  const files = fs
    .readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    // Finds import and export declarations, import type, and import('...') calls.
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'))
      .filter((target) => files.includes(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components of more than one file (or a file importing itself): each is a cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports in src/', () => {
  const graph = importGraph();

  it('are all seen: static, type-only and dynamic ones', () => {
    expect(graph.get('program.ts')).toContain('config/load.ts');
    expect(graph.get('runners.ts')).toContain('commands/close.ts'); // import('./commands/close.js') and import type
    expect(graph.get('config/load.ts')).toContain('config/parse-map.ts'); // import('./parse-map.js')
    expect(graph.get('app/workspace.ts')).toContain('config/load.ts'); // import { displayPath }
  });

  it('form no cycle', () => {
    expect(cycles(graph).map((c) => c.join(' <-> '))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const withCycle = new Map([...graph, ['config/load.ts', [...(graph.get('config/load.ts') ?? []), 'program.ts']]]);
    expect(cycles(withCycle).some((c) => c.includes('config/load.ts') && c.includes('program.ts'))).toBe(true);
  });

  it('keep domain/ pure: it imports only domain/ and errors.ts', () => {
    const impure = [...graph]
      .filter(([file]) => file.startsWith('domain/'))
      .flatMap(([file, targets]) => targets.filter((t) => !t.startsWith('domain/') && t !== 'errors.ts').map((t) => `${file} -> ${t}`));
    expect(impure).toEqual([]);
  });

  it('keep commands/ off the adapters: they reach the world through the Context and its ports', () => {
    const direct = [...graph]
      .filter(([file]) => file.startsWith('commands/'))
      .flatMap(([file, targets]) => targets.filter((t) => t.startsWith('adapters/')).map((t) => `${file} -> ${t}`));
    expect(direct).toEqual([]);
  });
});
