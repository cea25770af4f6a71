/** notify log [project]: the history, newest last. */
import type { Context } from '../context.js';
import { EXIT } from '../errors.js';
import type { NotifyEvent } from '../domain/events.js';
import { failureText } from '../domain/progress.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';
import { requireKnownProject } from '../app/known-project.js';

export interface LogOptions extends MapOptions {
  project?: string;
  json?: boolean;
  /** Check the log file instead of printing it. */
  verify?: boolean;
}

export async function runLog(o: LogOptions, ctx: Context): Promise<number> {
  if (o.verify) return (await import('./log-verify.js')).runLogVerify(o, ctx);
  const map = await openMap(o, ctx);
  const shown = warned(await ctx.ports.log.readEvents(map.log, logName(map, ctx), o.project), ctx);
  if (o.project !== undefined) await requireKnownProject(map, o.project, ctx, { inLog: shown.length > 0 });
  if (o.json) {
    ctx.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return EXIT.ok;
  }
  const s = ctx.style;
  for (const e of shown) ctx.stdout.write(`${s.dim(e.ts)}  ${e.project}  ${s.bold(e.event)}  ${describeEvent(e)}\n`);
  if (shown.length === 0 && !ctx.quiet) ctx.stderr.write(`no events${o.project ? ` for ${o.project}` : ''} in ${logName(map, ctx)}\n`);
  return EXIT.ok;
}

export function describeEvent(e: NotifyEvent): string {
  switch (e.event) {
    case 'close.planned':
      return `"${e.summary}" parties: ${e.parties.join(', ')}${e.skipped.length ? `; skipped: ${e.skipped.map((x) => x.party).join(', ')}` : ''}`;
    case 'party.skipped':
      return `${e.party}: ${e.reason}`;
    case 'notification.attempt':
      return `${e.recipient} [${e.parties.join(', ')}]`;
    case 'notification.sent':
      return `${e.recipient} ${e.message_id} ${e.response}${e.reason ? ` (${e.reason})` : ''}`;
    case 'notification.failed':
      return `${e.recipient} ${failureText(e.code, e.text)}`;
    case 'notification.unknown':
      return `${e.recipient} ${e.text}`;
    case 'project.closed':
      return `${e.recipients} recipients; told: ${e.notified.join(', ')}`;
    case 'close.amended':
      return e.kind === 'correction' ? `correction "${e.summary}" to ${e.parties.join(', ')}: ${e.reason}` : `tell ${e.parties.join(', ')}: ${e.reason}`;
    default:
      return '';
  }
}
