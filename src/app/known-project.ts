/**
 * Which project ids notify knows, and the one answer every command gives for an id it does not.
 * A project is known when the map lists it (projects.<id>), a plan file decides it
 * (.notify/plans/<id>.md) or the log holds events of it. Any other id is a typo until the user
 * says otherwise: close, plan and preview start a new ad-hoc project only with --title.
 */
import fs from 'node:fs';
import type { Context } from '../context.js';
import type { StakeholderMap } from '../domain/map.js';
import { didYouMean, slugProblem } from '../domain/slug.js';
import { UsageError } from '../errors.js';
import { listPlans, planPath } from './plan-files/file.js';
import { logName } from './workspace.js';

export type KnownFrom = 'map' | 'plan' | 'log';

/** Where the id is known from, or undefined; `inLog` is what the caller's read of the log found. */
export function knownFrom(map: StakeholderMap, project: string, inLog: boolean): KnownFrom | undefined {
  if (map.projects.has(project)) return 'map';
  if (fs.existsSync(planPath(map, project))) return 'plan';
  return inLog ? 'log' : undefined;
}

export interface KnownProjectRule {
  /** The log has events of this project: the caller has read them already. */
  inLog: boolean;
  /** close, plan and preview: the command that may start an ad-hoc project, for the hint. */
  adHoc?: { command: string; title: string | undefined };
  /** The id came from the branch name (--from-branch), not from the command line. */
  fromBranch?: boolean;
  /** Replaces the hint (a command that offers something else than --title). */
  hint?: string;
}

/**
 * Returns how the project is known, 'ad-hoc' for a new project the user named with --title, or
 * throws exit 2: unknown project "voeux-2072" (did you mean "voeux-2027"?). Nothing is sent,
 * written or recorded before this check.
 */
export async function requireKnownProject(map: StakeholderMap, project: string, ctx: Context, rule: KnownProjectRule): Promise<KnownFrom | 'ad-hoc'> {
  const problem = slugProblem(project);
  if (problem) throw new UsageError(`project id ${problem}`);
  const known = knownFrom(map, project, rule.inLog);
  if (known) return known;
  const title = rule.adHoc?.title;
  if (title !== undefined) {
    if (!title.trim()) throw new UsageError(`--title is empty: a new ad-hoc project "${project}" needs a title`);
    return 'ad-hoc';
  }
  throw new UsageError(`unknown project "${project}"${didYouMean(project, await knownIds(map, ctx))}`, hintFor(project, rule));
}

/** Every id the map, the plans and the log know: the candidates of "did you mean". */
export async function knownIds(map: StakeholderMap, ctx: Context): Promise<string[]> {
  // Read only on the way to an error: the whole log, streamed (its warnings were shown by the first read).
  const inLog = (await ctx.ports.log.readSummaryStates(map, logName(map, ctx))).value.keys();
  return [...new Set([...map.projects.keys(), ...listPlans(map), ...inLog])];
}

function hintFor(project: string, rule: KnownProjectRule): string {
  if (rule.hint) return rule.hint;
  const where = rule.fromBranch ? 'the branch name gives this id, but the map, .notify/plans and the log do not know it; ' : 'the map, .notify/plans and the log do not know it; ';
  if (rule.adHoc) {
    const args = rule.fromBranch ? '--from-branch' : project;
    return `${where}to start a new ad-hoc project, give its title: notify ${rule.adHoc.command} ${args} --title "Project title"`;
  }
  return `${where}notify status lists the known projects`;
}
