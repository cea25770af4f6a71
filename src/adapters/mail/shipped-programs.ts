/**
 * The shipped templates as programs (domain/template-program.ts), so that a close that uses
 * only them never loads Handlebars. `npm run build` writes them beside the build
 * (make-programs.ts); a template whose text is not the one they were made from, or a build
 * without them, is compiled by Handlebars as any other.
 */
import fs from 'node:fs';
import type { TemplatePrograms } from '../../domain/render.js';
import { packageFile } from '../../package-root.js';

export const PROGRAMS_FILE = packageFile('dist', 'shipped-templates.json');

export interface ShippedProgram extends TemplatePrograms {
  /** The whole file the programs were made from. */
  text: string;
}

/** The programs of the shipped template `name` (close.en.md), when they were made from `text`. */
export function shippedPrograms(name: string, text: string, file = PROGRAMS_FILE): TemplatePrograms | undefined {
  let all: Record<string, ShippedProgram>;
  try {
    all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, ShippedProgram>;
  } catch {
    return undefined;
  }
  const e = Object.prototype.hasOwnProperty.call(all, name) ? all[name] : undefined;
  return e && e.text === text ? { subject: e.subject, body: e.body } : undefined;
}
