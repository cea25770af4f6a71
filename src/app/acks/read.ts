/**
 * `notify acks`: read the replies mailbox, record what answers a notification (acknowledgement,
 * automatic reply, bounce) once each, move it to the processed folder when the map names one.
 */
import type { Context } from '../../context.js';
import type { StakeholderMap } from '../../domain/map.js';
import { applyEvent, foldProjects, type ProjectState } from '../../domain/state.js';
import { judge, sentIndex, type RecordedEvent } from '../../domain/ack-match.js';
import { excerptOf } from '../../domain/inbound.js';
import type { NotifyEvent } from '../../domain/events.js';
import { logName, warned } from '../workspace.js';
import { openSession } from '../close/session.js';

export interface AcksRead {
  /** Events recorded by this run, per project. */
  recorded: Map<string, RecordedEvent[]>;
  /** Messages read that answer a notification but were recorded before. */
  duplicates: number;
  /** Messages left alone: they answer nothing notify sent (or another project's, with a project given), or report no failure. */
  unmatched: number;
  /** The state of every project after this run. */
  states: Map<string, ProjectState>;
}

export async function readReplies(map: StakeholderMap, project: string | undefined, ctx: Context): Promise<AcksRead> {
  const { imapOptions, Mailbox } = await import('../../adapters/imap/mailbox.js');
  const imap = await imapOptions(map, ctx.env, ctx.cwd);
  const shown = logName(map, ctx);
  const session = await openSession({ logFile: map.log, lockFile: ctx.ports.log.realPath(map.log), shown, wait: true, composer: 'inline' }, ctx);
  try {
    // Read under the lock: two runs never record the same reply twice.
    const events = warned(await ctx.ports.log.readEvents(map.log, shown), ctx);
    const states = foldProjects(events);
    const mine = project ? [states.get(project)].filter((s): s is ProjectState => s !== undefined) : [...states.values()];
    const index = sentIndex(mine);
    const seen = new Set<string>();
    for (const s of states.values()) for (const id of s.acks.seen) seen.add(id);
    const mailbox = await Mailbox.open(imap);
    const out: AcksRead = { recorded: new Map(), duplicates: 0, unmatched: 0, states };
    try {
      const { messages, total } = await mailbox.read((id) => index.has(id));
      const { visibleText } = await import('../../adapters/imap/reply-text.js');
      const processed: number[] = [];
      for (const m of messages) {
        const j = judge(m, index, seen, () => excerptOf(visibleText(m.text)));
        if (j.kind === 'unmatched' || j.kind === 'not-failed') continue;
        processed.push(m.uid);
        seen.add(m.messageId);
        if (j.kind === 'duplicate') {
          out.duplicates++;
          continue;
        }
        for (const e of j.events) {
          const full = (await session.writer.append(e)) as NotifyEvent;
          out.recorded.get(j.project)?.push(e) ?? out.recorded.set(j.project, [e]);
          const s = states.get(j.project);
          if (s) applyEvent(s, full);
        }
      }
      out.unmatched = total - processed.length;
      // On disk before anything moves: a message moved is a message recorded.
      await session.writer.settle();
      await mailbox.moveProcessed(processed);
    } finally {
      await mailbox.close();
    }
    return out;
  } finally {
    await session.close();
  }
}
