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
marked.use({ renderer: { html: ({ text }) => Handlebars.escapeExpression(text) } });

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
  const walk = (node: any, depth: number): void => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'PathExpression' && depth === 0 && !node.data && node.parts.length > 0 && !known.has(node.parts[0])) {
      throw new TemplateError(source.file, firstLine + node.loc.start.line - 1, node.loc.start.column + 1, `template uses unknown variable "${node.original}"; known: ${TEMPLATE_VARIABLES.join(', ')}`);
    }
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      throw new TemplateError(source.file, firstLine + node.loc.start.line - 1, node.loc.start.column + 1, 'partials are not supported in templates');
    }
    const scoped = node.type === 'BlockStatement' && ['each', 'with'].includes(node.path?.original);
    const helperCall = node.type === 'BlockStatement' || node.type === 'SubExpression' || (node.type === 'MustacheStatement' && node.params.length > 0);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || (k === 'path' && helperCall)) continue;
      const inner = scoped && (k === 'program' || k === 'inverse') ? depth + 1 : depth;
      if (Array.isArray(v)) v.forEach((c) => walk(c, inner));
      else walk(v, inner);
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
