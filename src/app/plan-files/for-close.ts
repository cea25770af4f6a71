/** The decisions of a close not yet in the log: from the plan when there is one, else decided now. */
import type { Context } from '../../context.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { Decisions } from '../../domain/deliveries.js';
import { selectParties } from '../../domain/select.js';
import { decide, type DecideFlags } from '../close/decide.js';
import { noticeFlagsGiven } from '../close/decide-notice.js';
import { displayPath } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { planPath } from './file.js';
import { loadPlan } from './read.js';
import { mergeReasons, sinceReasons } from './since.js';
import { renderPlan, writePlan } from './write.js';

export interface PlanFlags extends DecideFlags {
  since?: string;
}

export interface CloseDecisions {
  decisions: Decisions;
  /** Set when there was no plan and one should be written once the user confirms. */
  record?: () => void;
}

/** Flags that decide something, which a plan already decides. */
function decidingFlags(f: PlanFlags): string[] {
  return [
    f.actions.length ? '--action' : '',
    f.parties.length ? '--party' : '',
    f.skips.length ? '--skip' : '',
    f.summary !== undefined ? '--summary' : '',
    f.detailsFile !== undefined ? '--details-file' : '',
    f.title !== undefined ? '--title' : '',
    f.since !== undefined ? '--since' : '',
    ...noticeFlagsGiven(f),
  ].filter(Boolean);
}

export async function decideWithPlan(map: StakeholderMap, project: string, f: PlanFlags, ctx: Context): Promise<CloseDecisions> {
  const shown = (file: string) => displayPath(ctx.cwd, file);
  const plan = loadPlan(map, project, shown);
  if (plan) {
    const given = decidingFlags(f);
    if (given.length > 0) {
      throw new UsageError(`${given.join(', ')}: the plan ${shown(plan.file)} already decides this close`, 'edit the plan (and have it reviewed), or delete it to decide with flags');
    }
    if (!ctx.quiet) ctx.stderr.write(`Using the plan ${shown(plan.file)}${plan.decisions.decidedBy ? `, decided by ${plan.decisions.decidedBy}` : ''}.\n`);
    return { decisions: plan.decisions };
  }
  const file = planPath(map, project);
  if (!ctx.interactive && !ctx.quiet) ctx.stderr.write(`No plan at ${shown(file)}: deciding from the map and the flags.\n`);
  const { decisions, reasons } = await decideFresh(map, project, f, ctx);
  if (!ctx.interactive) return { decisions };
  return {
    decisions,
    record: () => {
      writePlan(file, renderPlan(decisions, reasons));
      if (!ctx.quiet) ctx.stderr.write(`The decisions are on record in ${shown(file)}; commit it with the log.\n`);
    },
  };
}

/** Ask (or read from flags) as close does, with --since adding parties from the diff. */
export async function decideFresh(map: StakeholderMap, project: string, f: PlanFlags, ctx: Context): Promise<{ decisions: Decisions; reasons: Map<string, string[]> }> {
  const extraReasons = mergeReasons(f.extraReasons, await sinceReasons(map, f.since));
  if (f.since !== undefined && !ctx.quiet) {
    const found = [...(extraReasons ?? new Map()).keys()];
    ctx.stderr.write(found.length ? `Changed files since ${f.since} concern: ${found.join(', ')}.\n` : `No party's paths: match the files changed since ${f.since}.\n`);
  }
  const decisions = await decide(map, project, { ...f, extraReasons }, ctx);
  const reasons = new Map(selectParties(map, { project, actions: decisions.actions, extra: extraReasons }).map((s) => [s.party.id, s.reasons]));
  return { decisions, reasons };
}
