/**
 * Strict YAML reading shared by the map and the plans: every parse problem, warning, alias
 * and non-plain node becomes a Diagnostic with file:line:col; nothing is coerced beyond
 * YAML 1.2's core schema (`no` stays the string "no").
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { Pos } from '../core/map.js';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_DEPTH = 32;

export class YamlSource {
  readonly diagnostics: Diagnostic[] = [];
  readonly lines = new LineCounter();
  doc?: Document.Parsed;

  constructor(
    readonly file: string,
    readonly displayName: string,
    text: string,
    readonly lineOffset = 0,
  ) {
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
      this.error(undefined, `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; a stakeholder map is never that big`);
      return;
    }
    try {
      this.doc = parseDocument(text, {
        lineCounter: this.lines,
        prettyErrors: false,
        uniqueKeys: true,
        strict: true,
        version: '1.2',
        schema: 'core',
        merge: false,
        stringKeys: true,
      });
    } catch (err) {
      this.error(undefined, `cannot be parsed (${err instanceof RangeError ? 'nesting too deep' : (err as Error).message})`);
      return;
    }
    for (const e of [...this.doc.errors, ...this.doc.warnings]) {
      // checkNodes reports a custom tag once, with the fix.
      if (e.code === 'TAG_RESOLVE_FAILED') continue;
      // Without prettyErrors the library leaves linePos unset: place the problem from its offset.
      const start = e.linePos?.[0] ?? this.lines.linePos(e.pos[0]);
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      if (e.code === 'DUPLICATE_KEY') {
        const key = /^\s*("[^"\n]*"|'[^'\n]*'|[^:,}\n]*)/.exec(text.slice(e.pos[0]))![1].trim().replace(/^["']|["']$/g, '');
        this.push(start.line, start.col, `duplicate key "${key}": a key may appear only once here; merge the two entries`);
      } else this.push(start.line, start.col, `YAML: ${message}`);
    }
    if (this.doc.errors.length > 0) return;
    this.checkNodes();
  }

  pos(node: Node | undefined): Pos {
    const offset = node?.range?.[0] ?? 0;
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }

  error(node: Node | undefined, message: string): void {
    const p = this.pos(node);
    this.push(p.line, p.col, message);
  }

  warn(node: Node | undefined, message: string): void {
    const p = this.pos(node);
    this.diagnostics.push({ file: this.displayName, line: p.line + this.lineOffset, col: p.col, message, severity: 'warning' });
  }

  at(pos: Pos, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push({ file: this.displayName, line: pos.line + this.lineOffset, col: pos.col, message, severity });
  }

  get ok(): boolean {
    return this.doc !== undefined && !this.diagnostics.some((d) => d.severity === 'error');
  }

  private push(line: number, col: number, message: string): void {
    this.diagnostics.push({ file: this.displayName, line: line + this.lineOffset, col, message, severity: 'error' });
  }

  /** Aliases (and so alias bombs), custom tags and absurd nesting are refused outright. */
  private checkNodes(): void {
    const doc = this.doc!;
    visit(doc, (_key, node, path) => {
      if (isAlias(node)) {
        this.error(node, `aliases (*${node.source}) are not allowed in this file; write the value out`);
        return visit.SKIP;
      }
      if ((isScalar(node) || isMap(node) || isSeq(node)) && node.tag && !/^tag:yaml.org,2002:(str|int|float|bool|null|map|seq)$/.test(node.tag)) {
        this.error(node, `custom tag ${node.tag} is not allowed; remove it`);
      }
      if (path.length > MAX_DEPTH * 2) {
        this.error(node as Node, `nesting is deeper than ${MAX_DEPTH} levels`);
        return visit.BREAK;
      }
      return undefined;
    });
  }
}
