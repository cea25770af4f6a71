/**
 * The text part of a message: the rendered Markdown as plain text a reader can take in at a
 * glance, with no Markdown markers left (no **, no #, no [](...)). Links read "title (url)",
 * a quotation is indented, a table is aligned in columns.
 */
import type { Token, Tokens } from 'marked';

const INDENT = '    ';

/** Markdown as plain text, from tokens already lexed (the HTML part is rendered from the same tokens). */
export function tokensToText(tokens: Token[]): string {
  return blocks(tokens).replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}

function blocks(tokens: Token[]): string {
  const out: string[] = [];
  let attach = false;
  for (const t of tokens) {
    const text = block(t);
    if (text === undefined) continue;
    // A heading, or a label in bold on its own, sits right above what it introduces.
    if (attach && out.length) out[out.length - 1] += `\n${text}`;
    else out.push(text);
    attach = t.type === 'heading' || isLabel(t);
  }
  return out.join('\n\n');
}

function isLabel(t: Token): boolean {
  if (t.type !== 'paragraph') return false;
  const inner = (t as Tokens.Paragraph).tokens.filter((x) => !(x.type === 'text' && !x.text.trim()));
  return inner.length === 1 && inner[0].type === 'strong';
}

function block(t: Token): string | undefined {
  switch (t.type) {
    case 'space':
    case 'def':
      return undefined;
    case 'heading':
    case 'paragraph':
      return inline((t as Tokens.Paragraph).tokens);
    case 'text':
      return 'tokens' in t && t.tokens ? inline(t.tokens) : decode(t.text);
    case 'blockquote':
      return indent(blocks((t as Tokens.Blockquote).tokens), INDENT);
    case 'code':
      return indent((t as Tokens.Code).text, INDENT);
    case 'list':
      return list(t as Tokens.List);
    case 'table':
      return table(t as Tokens.Table);
    case 'hr':
      return '';
    case 'html':
      return (t as Tokens.HTML).text.trim();
    default:
      return 'raw' in t ? String(t.raw).trim() : undefined;
  }
}

function list(t: Tokens.List): string {
  const start = typeof t.start === 'number' ? t.start : 1;
  return t.items
    .map((item, i) => {
      const bullet = t.ordered ? `${start + i}. ` : '- ';
      const check = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
      const body = blocks(item.tokens.filter((x) => x.type !== 'checkbox'));
      return bullet + check + indent(body, ' '.repeat(bullet.length)).trimStart();
    })
    .join(t.loose ? '\n\n' : '\n');
}

function table(t: Tokens.Table): string {
  const rows = [t.header.map((c) => inline(c.tokens)), ...t.rows.map((r) => r.map((c) => inline(c.tokens)))];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length))).join('   ');
  return [line(rows[0]), widths.map((w) => '─'.repeat(w)).join('   '), ...rows.slice(1).map(line)].join('\n');
}

function inline(tokens: Token[] | undefined): string {
  let out = '';
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'text':
        out += 'tokens' in t && t.tokens ? inline(t.tokens) : decode(t.text);
        break;
      case 'escape':
        out += t.text;
        break;
      case 'strong':
      case 'em':
      case 'del':
        out += inline((t as Tokens.Strong).tokens);
        break;
      case 'codespan':
        out += decode(t.text);
        break;
      case 'br':
        out += '\n';
        break;
      case 'link': {
        const l = t as Tokens.Link;
        const text = inline(l.tokens);
        const url = l.href.replace(/^mailto:/i, '');
        out += text === l.href || text === url ? text : `${text} (${url})`;
        break;
      }
      case 'image': {
        const img = t as Tokens.Image;
        out += img.text ? `${img.text} (${img.href})` : img.href;
        break;
      }
      case 'html':
        out += t.text;
        break;
      default:
        out += 'raw' in t ? String(t.raw) : '';
    }
  }
  return out;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Character references written in the Markdown, as the characters they stand for. */
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}
