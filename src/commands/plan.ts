/** notify plan <project>: decide the close now, write it to .notify/plans/<project>.md for review. */
import fs from 'node:fs';
import type { Context } from '../context.js';
import { checkProjectId } from '../app/close/decide.js';
import { displayPath } from '../config/load.js';
import { EXIT, UsageError } from '../errors.js';
import { planPath } from '../app/plan-files/file.js';
import { resolveProject } from '../app/plan-files/project-arg.js';
import { requireKnownProject } from '../app/known-project.js';
import { decideFresh, type PlanFlags } from '../app/plan-files/for-close.js';
import { renderPlan, writePlan } from '../app/plan-files/write.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';

export interface PlanOptions extends MapOptions, PlanFlags {
  project?: string;
  /** Take the project from the release branch's name. */
  fromBranch?: boolean;
  yes: boolean;
}

export async function runPlan(options: PlanOptions, ctx: Context): Promise<number> {
  const o = { ...options, project: await resolveProject(options, ctx) };
  checkProjectId(o.project);
  const map = await openMap(o, ctx);
  const state = warned(await ctx.ports.log.readState(map, logName(map, ctx), o.project), ctx);
  await requireKnownProject(map, o.project, ctx, { inLog: state.firstTs !== undefined, adHoc: { command: 'plan', title: o.title }, fromBranch: o.fromBranch });
  if (state.planned) {
    throw new UsageError(`the close of ${o.project} was decided on ${state.planned.ts} and is in the log; a plan can no longer change it`, `see it with: notify log ${o.project}`);
  }
  const file = planPath(map, o.project);
  const shown = displayPath(ctx.cwd, file);
  if (fs.existsSync(file) && !o.yes) {
    if (!ctx.interactive) throw new UsageError(`${shown} already exists: run with --yes to replace it`);
    if (!(await ctx.prompter.confirm(`${shown} already exists. Replace it?`, false))) throw new UsageError(`${shown} was kept as it is`);
  }
  const { decisions, reasons } = await decideFresh(map, o.project, o, ctx);
  writePlan(file, renderPlan(decisions, reasons));
  if (!ctx.quiet) {
    const s = ctx.style;
    ctx.stderr.write(`${s.tick} ${s.bold(`Plan for ${o.project}`)}: ${decisions.summary}\n`);
    ctx.stderr.write(`  parties: ${decisions.parties.join(', ')}\n`);
    for (const sk of decisions.skipped) ctx.stderr.write(`  skipped: ${sk.party} (${sk.reason})\n`);
    ctx.stderr.write(`Commit ${shown} and have it reviewed; "notify close ${o.project}" sends from it.\n`);
  }
  ctx.stdout.write(`${shown}\n`);
  return EXIT.ok;
}
