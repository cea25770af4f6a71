/** notify validate: every finding in the map, its templates and plans, warnings included. 0 clean, 1 findings, 2 unreadable. */
import type { Context } from '../context.js';
import { EXIT, formatDiagnostic } from '../errors.js';
import { validateWorkspace } from '../app/validate/validate-workspace.js';

export interface ValidateOptions {
  config?: string;
  json?: boolean;
}

export async function runValidate(o: ValidateOptions, ctx: Context): Promise<number> {
  const r = validateWorkspace({ cwd: ctx.cwd, env: ctx.env, config: o.config });
  const errors = r.findings.filter((d) => d.severity === 'error').length;
  const warnings = r.findings.length - errors;
  const code = r.unreadable ? EXIT.usage : r.findings.length > 0 ? EXIT.incomplete : EXIT.ok;
  if (o.json) {
    const counts = r.map ? { parties: r.map.parties.size, actions: r.map.actions.size, projects: r.map.projects.size, plans: r.plans.length } : undefined;
    ctx.stdout.write(`${JSON.stringify({ file: r.file, valid: errors === 0 && !r.unreadable, readable: !r.unreadable, errors, warnings, findings: r.findings, counts }, null, 2)}\n`);
    return code;
  }
  for (const d of r.findings) ctx.stdout.write(`${formatDiagnostic(d)}\n`);
  if (ctx.quiet) return code;
  const s = ctx.style;
  if (r.unreadable) ctx.stderr.write(`${s.cross} ${r.file} cannot be read as YAML; fix the lines above\n`);
  else if (r.findings.length === 0 && r.map) {
    const m = r.map;
    const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
    const plans = r.plans.length ? `, ${n(r.plans.length, 'plan')}` : '';
    ctx.stderr.write(`${s.tick} ${r.file}: no problems (${n(m.parties.size, 'party').replace('partys', 'parties')}, ${n(m.actions.size, 'action')}, ${n(m.projects.size, 'project')}${plans})\n`);
  } else ctx.stderr.write(`${errors > 0 ? s.cross : s.warn('!')} ${r.file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return code;
}
