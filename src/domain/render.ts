/**
 * Render a notification from a template: Handlebars in strict mode (an unknown variable is an
 * error, never an empty string), then the Markdown to HTML with marked and to plain text. Values
 * are text, not Markdown (only `details` is Markdown): their * _ [ ] and the like are shown as
 * written. Values are HTML-escaped in the HTML part. In French, the punctuation gets its narrow
 * no-break spaces.
 */
import { createRequire } from 'node:module';
import { Marked, type Tokens } from 'marked';
import type { Address } from './address.js';
import { formatAddress } from './address.js';
import { escapeHtml } from './html.js';
import { tokensToText } from './notice-text.js';
import { runProgram, type Step } from './template-program.js';

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
  subject: (vars: TemplateVars) => string;
  /** The Markdown of the body, from the values escaped as text (see asText). */
  text: (vars: TemplateVars) => string;
}

export interface TemplateVars {
  organization: string;
  project: { id: string; title: string; owner: string; owner_name: string; owner_email: string };
  summary: string;
  /** The summary with a lower-case first letter (unless its first word is an acronym), for after a colon. */
  summary_lowercase: string;
  details: string;
  /** When the change reaches the people it affects: "Monday 4 January" ('' when not given). */
  effective: string;
  effective_short: string;
  effective_past: boolean;
  effective_iso: string;
  /** An amendment that moved the date: the date it replaces, written as `effective` ('' otherwise). */
  effective_before: string;
  /** An amendment that calls the change off. */
  cancelled: boolean;
  audience: string;
  customers_will_see: string;
  what_to_say: string;
  /** The notes of the recipient's parties that have one, in map order. */
  notes: { party: string; name: string; text: string }[];
  links: { title: string; url: string }[];
  actions: { id: string; description: string }[];
  actions_list: string;
  party: { id: string; name: string };
  parties: { id: string; name: string }[];
  party_names: string;
  several_parties: boolean;
  /** Why this person receives the message: the actions of the close that concern their parties, joined; whether one of them is told of every close. */
  why_actions: string;
  why_always: boolean;
  recipient: { name: string; email: string };
  date: string;
  from: string;
  from_name: string;
  /** The language of the message (the party's locale, else the map's). */
  locale: string;
}

export const TEMPLATE_VARIABLES = [
  'organization', 'project', 'summary', 'summary_lowercase', 'details', 'effective', 'effective_short', 'effective_past', 'effective_iso', 'effective_before', 'cancelled', 'audience', 'customers_will_see', 'what_to_say', 'notes', 'links',
  'actions', 'actions_list', 'party', 'parties', 'party_names', 'several_parties', 'why_actions', 'why_always', 'recipient', 'date', 'from', 'from_name', 'locale',
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

// A line break written is a line break shown, as in the text part.
const marked = new Marked({ gfm: true, breaks: true, async: false });
// Styles are inline (mail clients drop <style>) and set no colour: the text keeps the reader's
// colours, light or dark; borders are a grey that shows on both.
const CELL = 'border:1px solid #8a8a8a;padding:6px 10px;text-align:left;vertical-align:top';
const QUOTE = 'margin:12px 0;padding:8px 14px;border-left:4px solid #8a8a8a';
// Raw HTML in a template is shown as text: the HTML part never carries markup nobody reviewed.
// Links and images only to the schemes below; any other (javascript:, data:, a relative path)
// is shown as its text. The href written is the URL as parsed, so it is exactly what was checked.
marked.use({
  renderer: {
    html: ({ text }) => escapeHtml(text),
    blockquote({ tokens }) {
      return `<blockquote style="${QUOTE}">\n${this.parser.parse(tokens)}</blockquote>\n`;
    },
    table(t: Tokens.Table) {
      const cell = (c: Tokens.TableCell, tag: 'th' | 'td') => `<${tag} style="${CELL}${c.align ? `;text-align:${c.align}` : ''}">${this.parser.parseInline(c.tokens)}</${tag}>`;
      const head = `<tr>${t.header.map((c) => cell(c, 'th')).join('')}</tr>`;
      const body = t.rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('\n');
      return `<table style="border-collapse:collapse;margin:8px 0" cellpadding="6">\n<thead>${head}</thead>\n<tbody>${body}</tbody>\n</table>\n`;
    },
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

/**
 * Handlebars loads only when a template is compiled: the shipped templates are programs made
 * when notify is built (template-program.ts), so a close that uses only them never loads it.
 */
export const handlebars = (): typeof import('handlebars') => createRequire(import.meta.url)('handlebars') as typeof import('handlebars');

/** Compile and statically check the names a template uses; throws TemplateError with file:line. */
export function compileTemplate(source: TemplateSource): CompiledTemplate {
  check(source, source.subject, source.subjectLine);
  check(source, source.body, source.bodyLine);
  const opts = { strict: true, noEscape: true } as const;
  const hb = handlebars();
  return { source, subject: hb.compile(source.subject, opts), text: hb.compile(source.body, opts) };
}

/** The programs of a template made when notify was built (programOf); Handlebars renders what they leave to it. */
export interface TemplatePrograms {
  subject: Step[];
  body: Step[];
}

/**
 * A template that runs its programs, and falls back on Handlebars (compiled then, once) for the
 * values the programs leave to it: the result, or the error, is Handlebars' own either way.
 */
export function programTemplate(source: TemplateSource, programs: TemplatePrograms): CompiledTemplate {
  let compiled: CompiledTemplate | undefined;
  const full = () => (compiled ??= compileTemplate(source));
  return {
    source,
    subject: (vars) => runProgram(programs.subject, vars) ?? full().subject(vars),
    text: (vars) => runProgram(programs.body, vars) ?? full().text(vars),
  };
}

function check(source: TemplateSource, text: string, firstLine: number): void {
  let ast: hbs.AST.Program;
  try {
    ast = handlebars().parse(text);
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
  const typeset = /^fr\b/i.test(vars.locale ?? '') ? frenchSpacing : (s: string) => s;
  // The subject sits on its own line of the front matter: its errors point there.
  const subject = typeset(runAt(t.source.file, t.source.subjectLine, () => t.subject(vars).replace(/[ \t]{2,}/g, ' ').trim()));
  // One Markdown, lexed once, gives both parts: the plain text, and the HTML (marked escapes the text).
  const { text, htmlBody } = runAt(t.source.file, t.source.bodyLine, () => {
    const tokens = marked.lexer(typeset(t.text(asText(vars))));
    return { text: tokensToText(tokens), htmlBody: marked.parser(tokens) as string };
  });
  if (/[\r\n]/.test(subject)) throw new TemplateError(t.source.file, t.source.subjectLine, 1, 'the rendered subject contains a line break; keep values in the subject on one line');
  const lang = vars.locale && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(vars.locale) ? ` lang="${vars.locale}"` : '';
  const head = '<meta charset="utf-8"><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">';
  const html = `<!doctype html>\n<html${lang}><head>${head}<title>${escapeHtml(subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.5;max-width:40em">\n${htmlBody}</body></html>\n`;
  return { subject, text, html };
}

/**
 * The values as text inside the Markdown of the body: every character that would make Markdown
 * (or HTML) of them is escaped, so "*", "_" or "<b>" in a summary shows as written. `details` is
 * Markdown and is left as it is.
 */
function asText<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (key === 'details' ? value : key === 'url' ? value.replace(/[()\\]/g, '\\$&') : escapeMarkdown(value)) as T;
  if (Array.isArray(value)) return value.map((v) => asText(v)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asText(v, k)])) as T;
  return value;
}

const escaped = new Map<string, string>();

/** Most values are the same in every message of a close: each is escaped once. */
function escapeMarkdown(s: string): string {
  let out = escaped.get(s);
  if (out === undefined) {
    // Inline marks anywhere; at the start of a line, a heading, a list or a quotation.
    out = s.replace(/[\\*_[\]~|`<&]/g, '\\$&').replace(/^(\s*)([#>+-]|\d+[.)])/gm, (_m, sp: string, mark: string) => `${sp}${mark.replace(/[#>+\-.)]/, '\\$&')}`);
    if (escaped.size > 1000) escaped.clear();
    escaped.set(s, out);
  }
  return out;
}

const LETTER = /\p{L}/u;

/** French typography: a narrow no-break space before : ; ? ! and inside « », where a space was written or a word ends. */
export function frenchSpacing(text: string): string {
  return text
    .replace(/[ \u00a0]+([:;?!])/g, '\u202f$1')
    .replace(/([;?!]|:(?!\/\/))(?=[\s;?!]|$)/g, (mark: string, _m: string, at: number, all: string) => {
      if (at === 0 || !LETTER.test(all[at - 1])) return mark;
      // The word it ends: a web address or a character reference (&amp;) keeps its own.
      const word = all.slice(Math.max(all.lastIndexOf(' ', at), all.lastIndexOf('\n', at)) + 1, at);
      return /:\/\/|^mailto$|&#?[a-z0-9]+$/i.test(word) ? mark : `\u202f${mark}`;
    })
    .replace(/«[ \u00a0\u202f]*/g, '«\u202f')
    .replace(/[ \u00a0\u202f]*»/g, '\u202f»');
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
