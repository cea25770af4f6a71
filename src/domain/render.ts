/**
 * Render a notification from a template: Handlebars in strict mode (an unknown variable is an
 * error, never an empty string) and Markdown to HTML with marked. Values are HTML-escaped in
 * the HTML part; the text part is the Markdown itself.
 */
import Handlebars from 'handlebars';
import { Marked } from 'marked';
import type { Address } from './address.js';
import { formatAddress } from './address.js';

export interface TemplateSource {
  /** For error messages: the template file as the user sees it. */
  file: string;
  subject: string;
  body: string;
  /** Line in the file where the body starts (after the front matter). */
  bodyLine: number;
  subjectLine: number;
}

export interface CompiledTemplate {
  source: TemplateSource;
  subject: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
}

export interface TemplateVars {
  organization: string;
  project: { id: string; title: string; owner: string; owner_name: string; owner_email: string };
  summary: string;
  details: string;
  actions: { id: string; description: string }[];
  actions_list: string;
  party: { id: string; name: string };
  parties: { id: string; name: string }[];
  party_names: string;
  recipient: { name: string; email: string };
  date: string;
  from: string;
}

export const TEMPLATE_VARIABLES = [
  'organization', 'project', 'summary', 'details', 'actions', 'actions_list', 'party', 'parties', 'party_names', 'recipient', 'date', 'from',
] as const;

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    message: string,
  ) {
    super(message);
  }
}

const marked = new Marked({ gfm: true, breaks: false, async: false });
// Raw HTML in a template is shown as text: the HTML part never carries markup nobody reviewed.
// Links and images only to the schemes below; any other (javascript:, data:, a relative path)
// is shown as its text. The href written is the URL as parsed, so it is exactly what was checked.
marked.use({
  renderer: {
    html: ({ text }) => Handlebars.escapeExpression(text),
    link({ href, title, tokens }) {
      const inner = this.parser.parseInline(tokens);
      const url = safeUrl(href, LINK_SCHEMES);
      return url ? `<a href="${attr(url)}"${title ? ` title="${attrText(title)}"` : ''}>${inner}</a>` : inner;
    },
    image({ href, title, text }) {
      const url = safeUrl(href, IMAGE_SCHEMES);
      return url ? `<img src="${attr(url)}" alt="${attrText(text)}"${title ? ` title="${attrText(title)}"` : ''}>` : attrText(text);
    },
  },
});

const LINK_SCHEMES = ['http:', 'https:', 'mailto:'];
const IMAGE_SCHEMES = ['http:', 'https:'];

/**
 * The URL a reader's mail client would follow, if its scheme is allowed. Character references
 * are decoded first, as a browser decodes them in an attribute (values reach Markdown
 * HTML-escaped: & as &amp;, = as &#x3D;); one left undecoded can only make the URL relative.
 */
export function safeUrl(href: string, schemes: readonly string[]): string | undefined {
  const decoded = href.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
  let url: URL;
  try {
    url = new URL(decoded);
  } catch {
    return undefined;
  }
  return schemes.includes(url.protocol) ? url.href : undefined;
}

/** A URL in an attribute: every character as it is, so the client reads back exactly `url`. */
function attr(url: string): string {
  return attrText(url.replace(/&/g, '&amp;'));
}

/** Text from the Markdown, whose values are already escaped: character references are kept. */
function attrText(text: string): string {
  return text.replace(/&(?!#?\w+;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Compile and statically check the names a template uses; throws TemplateError with file:line. */
export function compileTemplate(source: TemplateSource): CompiledTemplate {
  check(source, source.subject, source.subjectLine);
  check(source, source.body, source.bodyLine);
  const opts = { strict: true, noEscape: true } as const;
  return {
    source,
    subject: Handlebars.compile(source.subject, opts),
    text: Handlebars.compile(source.body, opts),
    html: Handlebars.compile(source.body, { strict: true }),
  };
}

function check(source: TemplateSource, text: string, firstLine: number): void {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch (err) {
    const m = /line (\d+)/.exec((err as Error).message);
    throw new TemplateError(source.file, firstLine + (m ? Number(m[1]) - 1 : 0), 1, `template syntax error: ${(err as Error).message.split('\n')[0]}`);
  }
  const known = new Set<string>(TEMPLATE_VARIABLES);
  const walk = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((child) => walk(child, depth));
    // Any object of the tree: a node (it has a type) or a plain part of one (strip flags).
    const node = value as Partial<hbs.AST.Node>;
    const line = () => firstLine + (node.loc?.start.line ?? 1) - 1;
    const col = () => (node.loc?.start.column ?? 0) + 1;
    if (node.type === 'PathExpression') {
      const p = value as hbs.AST.PathExpression;
      if (depth === 0 && !p.data && p.parts.length > 0 && !known.has(p.parts[0])) {
        throw new TemplateError(source.file, line(), col(), `template uses unknown variable "${p.original}"; known: ${TEMPLATE_VARIABLES.join(', ')}`);
      }
    }
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      throw new TemplateError(source.file, line(), col(), 'partials are not supported in templates');
    }
    const scoped = node.type === 'BlockStatement' && ['each', 'with'].includes((value as hbs.AST.BlockStatement).path?.original);
    const helperCall = node.type === 'BlockStatement' || node.type === 'SubExpression' || (node.type === 'MustacheStatement' && (value as hbs.AST.MustacheStatement).params.length > 0);
    for (const [k, v] of Object.entries(value)) {
      if (k === 'loc' || (k === 'path' && helperCall)) continue;
      walk(v, scoped && (k === 'program' || k === 'inverse') ? depth + 1 : depth);
    }
  };
  walk(ast, 0);
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

export function render(t: CompiledTemplate, vars: TemplateVars): Rendered {
  // The subject sits on its own line of the front matter: its errors point there.
  const subject = runAt(t.source.file, t.source.subjectLine, () => t.subject(vars).trim());
  const { text, htmlBody } = runAt(t.source.file, t.source.bodyLine, () => ({
    text: t.text(vars).replace(/\n{3,}/g, '\n\n').trim() + '\n',
    htmlBody: marked.parse(t.html(vars)) as string,
  }));
  if (/[\r\n]/.test(subject)) throw new TemplateError(t.source.file, t.source.subjectLine, 1, 'the rendered subject contains a line break; keep values in the subject on one line');
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${Handlebars.escapeExpression(subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.45;max-width:40em">\n${htmlBody}</body></html>\n`;
  return { subject, text, html };
}

function runAt<T>(file: string, firstLine: number, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const m = / - (\d+):(\d+)$/.exec((err as Error).message);
    throw new TemplateError(file, firstLine + (m ? Number(m[1]) - 1 : 0), m ? Number(m[2]) + 1 : 1, `template: ${(err as Error).message.replace(/ in \[object Object\].*$/, '')}`);
  }
}

export function ownerVars(owner: Address | undefined): { owner: string; owner_name: string; owner_email: string } {
  return { owner: owner ? formatAddress(owner) : '', owner_name: owner?.name ?? owner?.address ?? '', owner_email: owner?.address ?? '' };
}
