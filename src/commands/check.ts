/** notify check <project>: the gate. 0 closed, 1 not closed (with what is pending), 2 config error. */
import type { Context } from '../context.js';
import { summarize, type ProjectSummary } from '../core/progress.js';
import { didYouMean } from '../core/slug.js';
import { UsageError } from '../errors.js';
import { checkProjectId } from '../close/decide.js';
import { createStyle } from '../io/style.js';
import { openMap, readState, type MapOptions } from '../io/workspace.js';

export interface CheckOptions extends MapOptions {
  project: string;
  json?: boolean;
}

export async function runCheck(o: CheckOptions, ctx: Context): Promise<number> {
  checkProjectId(o.project);
  const map = openMap(o, ctx);
  const state = await readState(map, ctx, o.project);
  if (!map.projects.has(o.project) && !state.planned && !state.closed) {
    throw new UsageError(`no project "${o.project}" in the map or the log${didYouMean(o.project, map.projects.keys())}`);
  }
  const sum = summarize(map, state);
  if (o.json) {
    const { project, closed, notified, pending, failed, skipped } = sum;
    ctx.stdout.write(`${JSON.stringify({ project, closed, notified, pending: [...pending, ...sum.unknown], failed, skipped }, null, 2)}\n`);
  } else {
    printCheck(sum, ctx);
  }
  return sum.closed ? 0 : 1;
}

function printCheck(sum: ProjectSummary, ctx: Context): void {
  const s = createStyle(ctx.color);
  if (sum.closed) {
    ctx.stdout.write(`${s.tick} ${sum.project} is closed (${sum.closed_at}): ${sum.notified.length} part${sum.notified.length === 1 ? 'y' : 'ies'} told${sum.skipped.length ? `, ${sum.skipped.length} skipped` : ''}\n`);
    return;
  }
  ctx.stdout.write(`${s.cross} ${sum.project} is not closed${sum.planned ? '' : ' (no close has been started)'}\n`);
  for (const p of sum.pending) ctx.stdout.write(`  pending: ${p}\n`);
  for (const p of sum.unknown) ctx.stdout.write(`  unknown outcome: ${p}\n`);
  for (const p of sum.failed) ctx.stdout.write(`  failed: ${p}\n`);
  for (const p of sum.notified) ctx.stdout.write(`  ${s.tick} told: ${p}\n`);
  for (const p of sum.skipped) ctx.stdout.write(`  skipped: ${p.party} (${p.reason})\n`);
}
