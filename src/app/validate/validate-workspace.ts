/** Everything `notify validate` checks: the map, its templates, and the plans beside it. */
import fs from 'node:fs';
import path from 'node:path';
import { displayPath, findMap } from '../../config/load.js';
import { parseMapSource } from '../../config/parse-map.js';
import { MAX_FILE_BYTES, YamlSource } from '../../config/yaml-source.js';
import type { StakeholderMap } from '../../domain/map.js';
import { UsageError, type Diagnostic } from '../../errors.js';
import { maskUrls } from '../../adapters/mail/smtp-url.js';
import { listPlans, planPath } from '../plan-files/file.js';
import { parsePlan } from '../plan-files/read.js';
import { mapFindings } from './findings.js';
import { templateFindings } from './templates.js';

export interface ValidateResult {
  file: string;
  /** The map could not be read or parsed as YAML at all. */
  unreadable: boolean;
  findings: Diagnostic[];
  map?: StakeholderMap;
  plans: string[];
}

export function validateWorkspace(opts: { cwd: string; env: Record<string, string | undefined>; config?: string }): ValidateResult {
  const file = findMap(opts.cwd, opts.env, opts.config);
  const shown = displayPath(opts.cwd, file);
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) throw new UsageError(`${shown}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; a stakeholder map is never that big`);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${shown}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const src = new YamlSource(file, shown, text);
  if (!src.readable) return { file: shown, unreadable: true, findings: src.diagnostics, plans: [] };
  const { map, diagnostics } = parseMapSource(src);
  if (!map || diagnostics.some((d) => d.severity === 'error')) return { file: shown, unreadable: false, findings: sorted(diagnostics), plans: [] };
  const plans = listPlans(map);
  const findings = [...diagnostics, ...mapFindings(map, src), ...templateFindings(map, src, opts.cwd), ...plans.flatMap((id) => planFindings(map, id, opts.cwd))];
  return { file: shown, unreadable: false, findings: sorted(findings), map, plans };
}

function planFindings(map: StakeholderMap, project: string, cwd: string): Diagnostic[] {
  const file = planPath(map, project);
  const shown = displayPath(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return [{ file: shown, line: 1, col: 1, message: `cannot read the plan (${(err as NodeJS.ErrnoException).code})`, severity: 'error' }];
  }
  return parsePlan(text, path.resolve(file), shown, map, project).diagnostics;
}

/** In file order; a URL any finding quotes (a template path, a plan value) never shows its password. */
function sorted(ds: Diagnostic[]): Diagnostic[] {
  return ds.map((d) => ({ ...d, message: maskUrls(d.message) })).sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1));
}
