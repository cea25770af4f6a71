/** notify ack <project> <recipient-or-party> --note TEXT: an acknowledgement given another way (phone, meeting). */
import { decidedBy } from '../app/close/decided-by.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { checkProjectId } from '../app/close/decide.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';
import { openSession } from '../app/close/session.js';
import { ackDeliveries, ackStatus, recordedDecisions } from '../domain/ack-status.js';
import { addressKey } from '../domain/address.js';
import { applyEvent } from '../domain/state.js';
import type { NotifyEvent } from '../domain/events.js';
import { didYouMean } from '../domain/slug.js';
import { printProject } from './acks.js';

export interface AckOptions extends MapOptions {
  project: string;
  who: string;
  note?: string;
}


export async function runAck(o: AckOptions, ctx: Context): Promise<number> {
  checkProjectId(o.project);
  if (!o.note?.trim()) throw new UsageError(`--note is required: say how ${o.who} confirmed, e.g. --note "confirmed by phone"`);
  const map = await openMap(o, ctx);
  const shown = logName(map, ctx);
  // Who records it: as decided_by of a close.
  const by = await decidedBy(ctx, map.dir);
  const session = await openSession({ logFile: map.log, lockFile: ctx.ports.log.realPath(map.log), shown, wait: true, composer: 'inline' }, ctx);
  try {
    const state = warned(await ctx.ports.log.readState(map, shown, o.project), ctx);
    const decisions = recordedDecisions(map, state);
    if (!decisions) throw new UsageError(`${o.project} has no close in the log: there is nothing to acknowledge yet`, `run notify close ${o.project} first`);
    const deliveries = ackDeliveries(map, state, decisions);
    const byParty = deliveries.filter((d) => d.parties.includes(o.who));
    const chosen = byParty.length > 0 ? byParty : deliveries.filter((d) => d.key === addressKey(o.who));
    if (chosen.length === 0) {
      const names = [...new Set(deliveries.flatMap((d) => [d.to.address, ...d.parties]))];
      throw new UsageError(`"${o.who}" is not a recipient or a party of ${o.project} that must acknowledge${didYouMean(o.who, names)}`, `see who is waiting with notify check ${o.project} --acks`);
    }
    let added = 0;
    for (const d of chosen) {
      if (state.acks.received.has(d.key)) continue;
      const full = (await session.writer.append({ event: 'ack.received', project: o.project, recipient: d.to.address, parties: d.parties, message_id: d.messageId, via: 'manual', by, note: o.note.trim() })) as NotifyEvent;
      applyEvent(state, full);
      added++;
    }
    await session.writer.settle();
    if (!ctx.quiet) ctx.stderr.write(`${added} acknowledgement${added === 1 ? '' : 's'} recorded${chosen.length > added ? ` (${chosen.length - added} already acknowledged)` : ''}.\n`);
    printProject(o.project, ackStatus(map, state, decisions), ctx);
    return EXIT.ok;
  } finally {
    await session.close();
  }
}
