/**
 * Strict YAML reading shared by the map and the plans: every parse problem, warning, alias
 * and non-plain node becomes a Diagnostic with file:line:col; nothing is coerced beyond
 * YAML 1.2's core schema (`no` stays the string "no").
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { Pos } from '../domain/map.js';
import { maskUrls } from '../adapters/mail/smtp-url.js';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_DEPTH = 32;

export class YamlSource {
  readonly diagnostics: Diagnostic[] = [];
  readonly lines = new LineCounter();
  doc?: Document.Parsed;
  private duplicates = false;

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
        // The library's own check compares each key with every earlier one: minutes for a map of
        // 60,000 parties. checkNodes finds duplicates with one Set per mapping instead.
        uniqueKeys: false,
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
      this.push(start.line, start.col, `YAML: ${message}`);
    }
    if (this.doc.errors.length > 0) return;
    this.checkNodes(this.doc);
  }

  /** The text could be read as YAML at all: no syntax error, no duplicate key. */
  get readable(): boolean {
    return this.doc !== undefined && this.doc.errors.length === 0 && !this.duplicates;
  }

  /** Where a node starts; without one, the top of the file. */
  pos(node: Node | null | undefined): Pos {
    const offset = node?.range?.[0] ?? 0;
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }

  error(node: Node | null | undefined, message: string): void {
    const p = this.pos(node);
    this.push(p.line, p.col, message);
  }

  warn(node: Node | null | undefined, message: string): void {
    this.at(this.pos(node), message, 'warning');
  }

  /** Every message goes through here: a URL quoted from the file never shows its password. */
  at(pos: Pos, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push({ file: this.displayName, line: pos.line + this.lineOffset, col: pos.col, message: maskUrls(message), severity });
  }

  get ok(): boolean {
    return this.doc !== undefined && !this.diagnostics.some((d) => d.severity === 'error');
  }

  private push(line: number, col: number, message: string): void {
    this.at({ line, col }, message);
  }

  /** A key written twice in one mapping, reported at the second one: one Set per mapping, so linear in the file. */
  private checkKeys(map: YAMLMap): void {
    const seen = new Set<string>();
    for (const pair of map.items) {
      const key = pair.key;
      if (!isScalar(key)) continue;
      const name = String(key.value);
      if (!seen.has(name)) {
        seen.add(name);
        continue;
      }
      this.duplicates = true;
      this.error(key, `duplicate key "${name}": a key may appear only once here; merge the two entries`);
    }
  }

  /** Duplicate keys, aliases (and so alias bombs), custom tags and absurd nesting are refused outright. */
  private checkNodes(doc: Document.Parsed): void {
    visit(doc, (_key, node, path) => {
      if (isMap(node)) this.checkKeys(node);
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
