/** notify acks [project]: read the replies mailbox, record acknowledgements, automatic replies and bounces. */
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { checkProjectId } from '../app/close/decide.js';
import { openMap, type MapOptions } from '../app/workspace.js';
import { readReplies } from '../app/acks/read.js';
import { ackStatus, type AckStatus } from '../domain/ack-status.js';
import { emptyState } from '../domain/state.js';
import type { RecordedEvent } from '../domain/ack-match.js';

export interface AcksOptions extends MapOptions {
  project?: string;
  json?: boolean;
}

export async function runAcks(o: AcksOptions, ctx: Context): Promise<number> {
  if (o.project) checkProjectId(o.project);
  const map = await openMap(o, ctx);
  if (!map.replies?.imap) throw new UsageError('the map has no replies.imap: notify cannot read replies', 'add a replies: block with imap: { url, user, password_env } and address:, see "Acknowledgements" in the README');
  const read = await readReplies(map, o.project, ctx);
  const ids = o.project ? [o.project] : [...read.states.keys()].filter((id) => read.recorded.has(id) || ackStatus(map, read.states.get(id)!).parties.length > 0);
  const rows = ids.map((id) => ({ project: id, recorded: counts(read.recorded.get(id) ?? []), ...ackStatus(map, read.states.get(id) ?? emptyState(id)) }));
  if (o.json) {
    ctx.stdout.write(`${JSON.stringify({ projects: rows.map(({ project, recorded, acknowledged, waiting, bounced, parties }) => ({ project, recorded, acks: { acknowledged, waiting, bounced }, parties })), duplicates: read.duplicates, unmatched: read.unmatched }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (!ctx.quiet) ctx.stderr.write(`Read ${map.replies.imap.url} ${map.replies.imap.mailbox}: ${sum(rows.map((r) => r.recorded))} new, ${read.duplicates} already recorded, ${read.unmatched} not ours (left alone).\n`);
  if (rows.length === 0) ctx.stdout.write('no project has a party that must acknowledge\n');
  for (const r of rows) printProject(r.project, r, ctx);
  return EXIT.ok;
}

function counts(events: RecordedEvent[]) {
  const n = (kind: RecordedEvent['event']) => events.filter((e) => e.event === kind).length;
  return { acknowledged: n('ack.received'), auto: n('reply.auto'), bounced: n('notification.bounced') };
}

function sum(all: ReturnType<typeof counts>[]): number {
  return all.reduce((t, c) => t + c.acknowledged + c.auto + c.bounced, 0);
}

export function printProject(project: string, s: AckStatus, ctx: Context): void {
  const st = ctx.style;
  ctx.stdout.write(`${st.bold(project)}: ${s.acknowledged.length} acknowledged, ${s.waiting.length} waiting, ${s.bounced.length} bounced\n`);
  for (const p of s.parties) {
    for (const a of p.acknowledged) ctx.stdout.write(`  ${st.tick} ${a.recipient} [${p.party}] acknowledged ${a.ts.slice(0, 16).replace('T', ' ')}${a.via === 'manual' ? ` by ${a.by ?? 'hand'}: ${a.note ?? ''}` : a.excerpt ? `: "${a.excerpt}"` : ''}\n`);
    for (const w of p.waiting) ctx.stdout.write(`  … ${w} [${p.party}] has not acknowledged${p.autoReplies.includes(w) ? ' (an automatic reply came back)' : ''}${p.reminded.includes(w) ? ', reminded' : ''}\n`);
    for (const b of p.bounced) ctx.stdout.write(`  ${st.cross} ${b.recipient} [${p.party}] bounced: ${[b.status, b.diagnostic].filter(Boolean).join(' ')}\n`);
  }
}
