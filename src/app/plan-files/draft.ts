/**
 * The answers of a close that sent nothing (cancelled, or interrupted at its confirmation), kept
 * as a draft plan so that nothing typed is lost. A draft never replaces a reviewed plan.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StakeholderMap } from '../../domain/map.js';
import type { Decisions } from '../../domain/deliveries.js';
import { planPath, plansDir } from './file.js';
import { renderPlan, writePlan } from './write.js';
import { UsageError } from '../../errors.js';

export interface DraftKept {
  /** Where the answers are. */
  file: string;
  /** Set when a reviewed plan was at the usual place: it was left as it is, and the draft written beside it. */
  reviewed?: string;
}

/** Throws a UsageError (nothing was sent) when the draft cannot be written. */
export function keepDraft(map: StakeholderMap, project: string, d: Decisions, reasons: Map<string, string[]>): DraftKept {
  const text = renderPlan(d, reasons, { draft: true });
  const file = planPath(map, project);
  // <project>.draft.md is not a project id: no command takes it for the project's plan.
  const kept: DraftKept = isReviewedPlan(file) ? { file: path.join(plansDir(map), `${project}.draft.md`), reviewed: file } : { file };
  try {
    writePlan(kept.file, text);
  } catch (err) {
    throw new UsageError(`not sent, and your answers could not be saved as a draft plan in ${path.relative(map.dir, kept.file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return kept;
}

/** A file at the plan's place that is not a draft (whatever it holds, even a broken plan, is someone's). */
function isReviewedPlan(file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const front = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\s*(?:\r?\n|$)/.exec(text);
  return !(front && /^draft:\s*true\s*(?:#.*)?$/m.test(front[1]));
}
