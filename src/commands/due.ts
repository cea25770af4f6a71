/**
 * notify due [--within DURATION] [--json]: every project with an effective date that is not fully
 * told, each party with its deadline and state. Exit 0 when nothing is overdue, 1 otherwise, 2
 * for a configuration error: a daily scheduled job.
 */
import type { Context } from '../context.js';
import { describeNotice } from '../domain/calendar.js';
import { isoInZone } from '../domain/calendar-zone.js';
import { inForce } from '../domain/in-force.js';
import { emptyState } from '../domain/state.js';
import { EXIT } from '../errors.js';
import { openCalendar } from '../app/due/calendar.js';
import { dueRows, projectTimings, type DueRow } from '../app/due/timings.js';
import { parseWithin } from '../app/due/within.js';
import { when } from '../app/due/when.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';

export interface DueOptions extends MapOptions {
  within?: string;
  json?: boolean;
}

export async function runDue(o: DueOptions, ctx: Context): Promise<number> {
  const within = parseWithin(o.within);
  const map = await openMap(o, ctx);
  const cal = await openCalendar(map, ctx);
  const shown = logName(map, ctx);
  // The streamed summaries say which projects are open; only those with an effective date are read whole.
  const summaries = warned(await ctx.ports.log.readSummaryStates(map, shown), ctx);
  const ids = [...new Set([...map.projects.keys(), ...summaries.keys()])];
  const rows: DueRow[] = [];
  // Each project's times are shown in the zone its close recorded.
  const zones = new Map<string, string>();
  for (const id of ids) {
    const brief = summaries.get(id) ?? emptyState(id);
    if (brief.closed) continue;
    // The date in force: the close's, or the one an amendment moved it to.
    const hasDate = brief.planned ? inForce(brief).effective !== undefined : map.projects.get(id)?.notice.effective !== undefined;
    if (!hasDate) continue;
    const state = brief.planned ? warned(await ctx.ports.log.readIndexedState(map, shown, id, ctx.env), ctx) : brief;
    const t = projectTimings(map, state, cal);
    if (!t || t.fullyTold) continue;
    rows.push(...dueRows(t, ctx.now(), within));
    zones.set(id, t.calendar.timeZone);
  }
  rows.sort((a, b) => Date.parse(a.tell_by) - Date.parse(b.tell_by) || a.project.localeCompare(b.project) || a.party.localeCompare(b.party));
  if (o.json) ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else printDue(rows, (project) => zones.get(project) ?? cal.timeZone, ctx);
  return rows.some((r) => r.state === 'overdue') ? EXIT.incomplete : EXIT.ok;
}

function printDue(rows: DueRow[], zoneOf: (project: string) => string, ctx: Context): void {
  const s = ctx.style;
  if (rows.length === 0) {
    if (!ctx.quiet) ctx.stderr.write('nothing due: no open project with an effective date has a party with a notice period\n');
    return;
  }
  const mark = { ok: s.tick, late: s.warn('!'), pending: s.dim('·'), due: s.warn('…'), overdue: s.cross } as const;
  const w = (k: 'project' | 'party') => Math.max(...rows.map((r) => r[k].length));
  for (const r of rows) {
    const told = r.told_at ? `told ${when(isoInZone(Date.parse(r.told_at), zoneOf(r.project)))}` : 'not told';
    const line = `${mark[r.state]} ${r.state.padEnd(7)} ${r.project.padEnd(w('project'))}  ${r.party.padEnd(w('party'))}  tell by ${when(r.tell_by)}  (${describeNotice(r.notice)} before ${r.effective.replace('T', ' ')})  ${told}`;
    ctx.stdout.write(`${line}\n`);
  }
  const overdue = rows.filter((r) => r.state === 'overdue').length;
  if (overdue > 0 && !ctx.quiet) ctx.stderr.write(`${overdue} part${overdue === 1 ? 'y is' : 'ies are'} overdue: tell them now (notify close <project>), then record why with --accept-late PARTY=REASON\n`);
}
