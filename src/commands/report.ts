/** notify report <project>: the close-out record from the log, as Markdown, CSV or JSON. */
import type { Context } from '../context.js';
import { checkProjectId } from '../app/close/decide.js';
import { requireKnownProject } from '../app/known-project.js';
import { EXIT } from '../errors.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';
import { buildReport } from '../app/report/build.js';
import { reportCsv } from '../app/report/csv.js';
import type { ReportFormat } from '../app/report/formats.js';
import { reportMarkdown } from '../app/report/markdown.js';

export interface ReportOptions extends MapOptions {
  project: string;
  format: ReportFormat;
}

export async function runReport(o: ReportOptions, ctx: Context): Promise<number> {
  checkProjectId(o.project);
  const map = await openMap(o, ctx);
  const shown = logName(map, ctx);
  const mine = warned(await ctx.ports.log.readEvents(map.log, shown, o.project), ctx);
  await requireKnownProject(map, o.project, ctx, { inLog: mine.length > 0 });
  const report = buildReport(map, o.project, mine, { log: shown, now: ctx.now() });
  if (o.format === 'json') ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.stdout.write(o.format === 'csv' ? reportCsv(report) : reportMarkdown(report));
  if (!ctx.quiet && o.format === 'csv') ctx.stderr.write(`${o.project} is ${report.status}${report.status === 'open' && report.decided ? ' (the close is not finished)' : ''}\n`);
  return EXIT.ok;
}
