/** The decisions of a close not yet in the log: from the plan when there is one, else decided now. */
import fs from 'node:fs';
import type { Context } from '../../context.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { Decisions } from '../../domain/deliveries.js';
import { selectParties } from '../../domain/select.js';
import { decide, type DecideFlags } from '../close/decide.js';
import { NO_NOTICE_FLAGS, noticeFlagsGiven } from '../close/decide-notice.js';
import { displayPath } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { planPath } from './file.js';
import type { Plan } from './read.js';
import { mergeReasons, sinceReasons } from './since.js';
import type { DraftKept } from './draft.js';

export interface PlanFlags extends DecideFlags {
  since?: string;
}

export interface CloseDecisions {
  decisions: Decisions;
  /** Set when there was no plan and one should be written once the user confirms. */
  record?: () => void;
  /**
   * Set when the answers were given in this run on a terminal (not read from the log or from a
   * reviewed plan): they can be asked again, and are kept as a draft plan if nothing is sent.
   */
  answers?: Answers;
}

export interface Answers {
  /** The questions again, every earlier answer offered as the default; flags no longer answer them. */
  edit(): Promise<CloseDecisions>;
  /** Write the answers as a draft plan (never over a reviewed plan); where they went. */
  keepDraft(): DraftKept;
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

/** `o.draftAsPlan`: a draft plan's decisions as they stand (preview, which sends nothing). */
export async function decideWithPlan(map: StakeholderMap, project: string, f: PlanFlags, ctx: Context, o: { draftAsPlan?: boolean } = {}): Promise<CloseDecisions> {
  const shown = (file: string) => displayPath(ctx.cwd, file);
  const found = await loadPlanIfAny(map, project, shown);
  const draft = found?.draft && !o.draftAsPlan ? found : undefined;
  const plan = draft ? undefined : found;
  if (draft && !ctx.interactive) {
    throw new UsageError(
      `${shown(draft.file)} is a draft plan (the answers of a cancelled close), not a reviewed one: nothing was sent`,
      `run "notify close ${project}" on a terminal to go through it again, or review it and delete its "draft: true" line`,
    );
  }
  if (plan) {
    const given = decidingFlags(f);
    if (given.length > 0) {
      throw new UsageError(`${given.join(', ')}: the plan ${shown(plan.file)} already decides this close`, 'edit the plan (and have it reviewed), or delete it to decide with flags');
    }
    if (!ctx.quiet) ctx.stderr.write(`Using the ${plan.draft ? 'draft ' : ''}plan ${shown(plan.file)}${plan.decisions.decidedBy ? `, decided by ${plan.decisions.decidedBy}` : ''}.\n`);
    return { decisions: plan.decisions };
  }
  const file = planPath(map, project);
  // The usual case, not news: said only to whoever asks where the decisions come from.
  if (ctx.verbose && !ctx.quiet) ctx.stderr.write(`No plan at ${shown(file)}: deciding from the map and the flags.\n`);
  if (draft && !ctx.quiet) ctx.stderr.write(`Starting from the draft plan ${shown(draft.file)}: your earlier answers are filled in.\n`);
  const fresh = await decideFresh(map, project, f, ctx, draft?.decisions);
  if (!ctx.interactive) return { decisions: fresh.decisions };
  return answered(map, project, f, ctx, fresh);
}

/**
 * The plan, when there is one. Its reader, and with it the yaml package (about 40 ms to load),
 * is loaded only then: most closes have no plan.
 */
async function loadPlanIfAny(map: StakeholderMap, project: string, shown: (file: string) => string): Promise<Plan | undefined> {
  try {
    fs.statSync(planPath(map, project));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  }
  return (await import('./read.js')).loadPlan(map, project, shown);
}

/** Decisions answered on a terminal: recorded as the plan once confirmed, editable, kept as a draft otherwise. */
async function answered(map: StakeholderMap, project: string, f: PlanFlags, ctx: Context, fresh: Fresh): Promise<CloseDecisions> {
  // Only answers given on a terminal are written as a plan: the writers (and yaml) load then.
  const [{ renderPlan, writePlan }, { keepDraft }] = await Promise.all([import('./write.js'), import('./draft.js')]);
  const { decisions, reasons } = fresh;
  const file = planPath(map, project);
  // Asked again: no flag answers a question any more, and the changed files are not read twice.
  const again: PlanFlags = { ...f, actions: [], parties: [], skips: [], summary: undefined, detailsFile: undefined, since: undefined, extraReasons: fresh.extraReasons, ...NO_NOTICE_FLAGS };
  return {
    decisions,
    record: () => {
      writePlan(file, renderPlan(decisions, reasons));
      if (!ctx.quiet) ctx.stderr.write(`The decisions are on record in ${displayPath(ctx.cwd, file)}; commit it with the log.\n`);
    },
    answers: {
      edit: async () => answered(map, project, again, ctx, await decideFresh(map, project, again, ctx, decisions)),
      keepDraft: () => keepDraft(map, project, decisions, reasons),
    },
  };
}

interface Fresh {
  decisions: Decisions;
  reasons: Map<string, string[]>;
  /** The reasons from outside the map (--since), per party. */
  extraReasons?: Map<string, string[]>;
}

/** Ask (or read from flags) as close does, with --since adding parties from the diff. */
export async function decideFresh(map: StakeholderMap, project: string, f: PlanFlags, ctx: Context, previous?: Decisions): Promise<Fresh> {
  const extraReasons = mergeReasons(f.extraReasons, await sinceReasons(map, f.since));
  if (f.since !== undefined && !ctx.quiet) {
    const found = [...(extraReasons ?? new Map()).keys()];
    ctx.stderr.write(found.length ? `Changed files since ${f.since} concern: ${found.join(', ')}.\n` : `No party's paths: match the files changed since ${f.since}.\n`);
  }
  const decisions = await decide(map, project, { ...f, extraReasons }, ctx, previous);
  const reasons = new Map(selectParties(map, { project, actions: decisions.actions, extra: extraReasons }).map((s) => [s.party.id, s.reasons]));
  return { decisions, reasons, extraReasons };
}
