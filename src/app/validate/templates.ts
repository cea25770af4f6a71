/** Every template a close could use must exist and compile: found now rather than mid-send. */
import type { StakeholderMap } from '../../domain/map.js';
import type { YamlSource } from '../../config/yaml-source.js';
import { ConfigError, type Diagnostic } from '../../errors.js';
import { TemplateStore } from '../../adapters/mail/templates.js';
import { nodeAt, posAt } from './positions.js';

export function templateFindings(map: StakeholderMap, src: YamlSource, cwd: string): Diagnostic[] {
  const store = new TemplateStore(map.dir, cwd);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const check = (template: string | undefined, locale: string, at: (string | number)[], what: string) => {
    const key = template ?? `locale:${locale}`;
    if (seen.has(key)) return;
    seen.add(key);
    try {
      store.get(template, locale);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const d of err.diagnostics) {
        const outside = d.message.startsWith('template outside');
        if (!outside && !d.message.startsWith('template not found')) {
          out.push(d);
          continue;
        }
        // Told at the map's line: that is where the path is written.
        const p = posAt(src, at);
        let message = `${what} template "${template}" not found (paths are relative to the map's folder)`;
        if (outside) message = `${what} template "${template}" leads outside the map's folder through a symbolic link; keep templates inside it`;
        else if (!template) message = `${what} locale "${locale}" has no shipped template (${err.hint?.replace(/^shipped languages: /, 'shipped: ') ?? ''})`;
        out.push({ file: src.displayName, line: p.line, col: p.col, message, severity: 'error' });
      }
    }
  };
  for (const party of map.parties.values()) {
    const at = party.template ? ['parties', party.id, 'template'] : nodeAt(src, ['parties', party.id, 'locale']) ? ['parties', party.id, 'locale'] : ['locale'];
    check(party.template, party.locale ?? map.locale, at, `party "${party.id}"`);
  }
  for (const project of map.projects.values()) {
    if (project.template) check(project.template, map.locale, ['projects', project.id, 'template'], `project "${project.id}"`);
  }
  return out;
}
