/** What a close prints: progress while sending, and the checklist at the end. */
import type { Context } from '../../context.js';
import type { Prepared } from '../../domain/execute.js';
import { failureText, type Progress } from '../../domain/progress.js';
import type { SendOutcome } from '../../domain/transport.js';

const LINE_EVERY_MS = 3_000;
const DRAW_EVERY_MS = 100;

/** Each result on its own line for small closes; a counter (TTY) or a line every few seconds otherwise. */
export function progressReporter(ctx: Context, total: number) {
  const s = ctx.style;
  const each = total <= 50;
  let done = 0;
  let failed = 0;
  const started = ctx.now().getTime();
  let last = started;
  let drawn = 0;
  // The pace and what is left, once a second of sending makes the pace worth showing.
  const pace = (final: boolean) => {
    const seconds = (ctx.now().getTime() - started) / 1000;
    if (seconds < 1) return '';
    const rate = done / seconds;
    if (final) return ` in ${seconds.toFixed(1)} s (${Math.round(rate)}/s)`;
    return rate > 0 ? ` (${Math.round(rate)}/s, about ${Math.ceil((total - done) / rate)} s left)` : '';
  };
  const line = (final = false) => `${done}/${total} sent${failed ? `, ${failed} not sent` : ''}${pace(final)}`;
  return {
    onResult(p: Prepared, o: SendOutcome) {
      done++;
      if (o.status !== 'sent') failed++;
      if (ctx.quiet) return;
      if (each || o.status !== 'sent') {
        const mark = o.status === 'sent' ? s.tick : o.status === 'unknown' ? s.warn('?') : s.cross;
        const detail = o.status === 'sent' ? '' : o.status === 'failed' ? ` ${o.permanent ? '' : 'deferred: '}${failureText(o.code, o.text)}` : ` unknown: ${o.text}`;
        ctx.stderr.write(`${ctx.tty && !each ? '\r\x1b[K' : ''}  ${mark} ${p.message.to} [${p.delivery.parties.join(', ')}]${detail}\n`);
      } else if (ctx.tty) {
        // Redrawn ten times a second at most: 10,000 redraws would cost more than the sends they show.
        if (ctx.now().getTime() - drawn >= DRAW_EVERY_MS) {
          drawn = ctx.now().getTime();
          ctx.stderr.write(`\r\x1b[K  ${line()}`);
        }
      } else if (ctx.now().getTime() - last >= LINE_EVERY_MS) {
        last = ctx.now().getTime();
        ctx.stderr.write(`  ${line()}\n`);
      }
    },
    done() {
      if (!each && !ctx.quiet) ctx.stderr.write(`${ctx.tty ? '\r\x1b[K' : ''}  ${line(true)}\n`);
    },
  };
}

/** `amendment`: the list is an amendment's, which closes the project again once everyone it concerns is told. */
export function printChecklist(p: Progress, closed: boolean, ctx: Context, amendment = false): void {
  const s = ctx.style;
  const out = ctx.stdout;
  const why = amendment ? (closed ? 'everyone the amendment concerns was told' : 'everyone the amendment concerns must be told before it is closed again') : 'every party must be told before it is closed';
  out.write(`${closed ? s.ok(`${p.project} is closed${amendment ? ' again' : ''}`) : s.bad(`${p.project} stays open`)}: ${why}.\n`);
  for (const party of p.parties) {
    const count = party.recipients.length;
    if (party.status === 'notified') out.write(`  ${s.tick} ${party.party}: told (${count} recipient${count === 1 ? '' : 's'})\n`);
    else if (party.status === 'skipped') out.write(`  ${s.dim('–')} ${party.party}: skipped (${party.reason})\n`);
    else {
      out.write(`  ${s.cross} ${party.party}: ${party.status}\n`);
      for (const r of party.recipients.filter((x) => x.status !== 'sent')) out.write(`      ${r.address}: ${r.status}${r.detail ? ` (${r.detail})` : ''}\n`);
    }
  }
}
