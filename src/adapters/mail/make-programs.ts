/** When notify is built: the shipped templates as programs (shipped-programs.ts). */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { compileTemplate } from '../../domain/render.js';
import { programOf } from '../../domain/template-program.js';
import { PROGRAMS_FILE, type ShippedProgram } from './shipped-programs.js';
import { parseTemplateFile, SHIPPED_TEMPLATES } from './templates.js';

/**
 * The programs of every shipped template that Handlebars' tree allows (each checked as a
 * template first), and the names of those it does not: they render with Handlebars.
 */
export function makeShippedPrograms(dir = SHIPPED_TEMPLATES): { programs: Record<string, ShippedProgram>; left: string[] } {
  const programs: Record<string, ShippedProgram> = {};
  const left: string[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => /^close\.[a-zA-Z-]+\.md$/.test(f)).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const source = parseTemplateFile(text, name);
    compileTemplate(source);
    const subject = programOf(Handlebars.parse(source.subject));
    const body = programOf(Handlebars.parse(source.body));
    if (subject && body) programs[name] = { text, subject, body };
    else left.push(name);
  }
  return { programs, left };
}

export function writeShippedPrograms(file = PROGRAMS_FILE): string[] {
  const { programs, left } = makeShippedPrograms();
  fs.writeFileSync(file, `${JSON.stringify(programs)}\n`);
  return left;
}
