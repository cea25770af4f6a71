/** Find and read templates: a party's or project's own file, else the shipped close.<locale>.md. */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { compileTemplate, programTemplate, TemplateError, type CompiledTemplate, type TemplateSource } from '../../domain/render.js';
import { ConfigError } from '../../errors.js';
import { displayPath } from '../../config/load.js';
import { packageFile } from '../../package-root.js';
import { shippedPrograms } from './shipped-programs.js';

export const SHIPPED_TEMPLATES = packageFile('templates');

export function shippedLocales(): string[] {
  return fs
    .readdirSync(SHIPPED_TEMPLATES)
    .map((f) => /^close\.([a-zA-Z-]+)\.md$/.exec(f)?.[1])
    .filter((l): l is string => Boolean(l));
}

/** Split `---\nsubject: ...\n---\nbody`; the subject is required. */
export function parseTemplateFile(text: string, shown: string): TemplateSource {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) throw new TemplateError(shown, 1, 1, 'a template starts with front matter: ---, subject: "...", ---');
  let front: unknown;
  try {
    front = simpleFrontMatter(m[1]) ?? yaml().parse(m[1], { schema: 'core', strict: true, uniqueKeys: true });
  } catch (err) {
    throw new TemplateError(shown, 2, 1, `front matter: ${(err as Error).message.split('\n')[0]}`);
  }
  const fm = (front ?? {}) as Record<string, unknown>;
  const unknownKey = Object.keys(fm).find((k) => k !== 'subject');
  if (unknownKey) throw new TemplateError(shown, 2, 1, `unknown front matter key "${unknownKey}" (only "subject")`);
  if (typeof fm.subject !== 'string' || fm.subject.trim() === '') throw new TemplateError(shown, 2, 1, 'front matter needs a "subject:" string');
  const subjectLine = 1 + m[1].split('\n').findIndex((l) => l.startsWith('subject')) + 1;
  const bodyLine = m[0].split('\n').length;
  return { file: shown, subject: fm.subject, body: text.slice(m[0].length), bodyLine, subjectLine };
}

/**
 * `subject: "..."` alone, quoted with no escape, no quote and no control character in it: YAML
 * reads it as exactly the text between the quotes. Any other front matter goes to the parser,
 * which loads only then (the yaml package costs about 40 ms to load, a close's start-up).
 */
function simpleFrontMatter(text: string): { subject: string } | undefined {
  const m = /^subject: "([^"\\\x00-\x08\x0a-\x1f\x7f]*)"[ \t]*$/.exec(text);
  return m ? { subject: m[1] } : undefined;
}

const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** The shipped template of a locale; en-US and en-GB write English: close.en.md (dates stay their own). */
function shippedTemplate(locale: string): string {
  const exact = path.join(SHIPPED_TEMPLATES, `close.${locale}.md`);
  const language = path.join(SHIPPED_TEMPLATES, `close.${locale.split('-')[0]}.md`);
  return fs.existsSync(exact) || !fs.existsSync(language) ? exact : language;
}

export class TemplateStore {
  private cache = new Map<string, CompiledTemplate>();

  constructor(
    private readonly mapDir: string,
    private readonly cwd: string,
  ) {}

  /** `name` is a path relative to the map; without it, the shipped template of `locale`. */
  get(name: string | undefined, locale: string): CompiledTemplate {
    const file = name ? path.resolve(this.mapDir, name) : shippedTemplate(locale);
    const cached = this.cache.get(file);
    if (cached) return cached;
    const shown = displayPath(this.cwd, file);
    if (!fs.existsSync(file)) {
      const hint = name ? `check the template: path in the map` : `shipped languages: ${shippedLocales().join(', ')}; or give the party a template: of its own`;
      throw new ConfigError([{ file: shown, line: 1, col: 1, message: `template not found${name ? '' : ` for locale "${locale}"`}`, severity: 'error' }], hint);
    }
    if (name && !insideRealDir(this.mapDir, file)) {
      throw new ConfigError([{ file: shown, line: 1, col: 1, message: `template outside the map's folder (through a symbolic link)`, severity: 'error' }], 'keep templates inside the map\'s folder; nothing was sent');
    }
    try {
      const text = fs.readFileSync(file, 'utf8');
      const source = parseTemplateFile(text, shown);
      // A shipped template runs as the program made from it when notify was built: no Handlebars.
      const programs = name ? undefined : shippedPrograms(path.basename(file), text);
      const compiled = programs ? programTemplate(source, programs) : compileTemplate(source);
      this.cache.set(file, compiled);
      return compiled;
    } catch (err) {
      if (err instanceof TemplateError) throw templateConfigError(err);
      throw err;
    }
  }
}

/** The map checks the path as written; a symbolic link on the way could still lead out of the folder. */
function insideRealDir(dir: string, file: string): boolean {
  try {
    const rel = path.relative(fs.realpathSync(dir), fs.realpathSync(file));
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}

export function templateConfigError(err: TemplateError): ConfigError {
  return new ConfigError([{ file: err.file, line: err.line, col: err.col, message: err.message, severity: 'error' }], 'fix the template; nothing was sent');
}
