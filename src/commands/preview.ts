/**
 * notify preview <project>: every message close would send, built by the same code (same
 * decisions, renderer, headers and bytes), shown in the terminal or written as .eml and .html.
 * It sends nothing and writes nothing to the log.
 */
import path from 'node:path';
import type { Context } from '../context.js';
import { checkProjectId, fromLog, type DecideFlags } from '../app/close/decide.js';
import { prepareMessages, type PreparedMessage } from '../app/close/prepare.js';
import type { StakeholderMap } from '../domain/map.js';
import type { Decisions } from '../domain/deliveries.js';
import { planClose } from '../domain/close-plan.js';
import type { ProjectState } from '../domain/state.js';
import { EXIT, UsageError } from '../errors.js';
import type { WrittenPreview } from '../ports.js';
import { displayPath } from '../config/load.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';
import { decideWithPlan } from '../app/plan-files/for-close.js';
import { readableHeaders } from '../app/preview/headers.js';
import { sendTests, testAddress } from '../app/close/test-send.js';
import { noticeFlagsGiven } from '../app/close/decide-notice.js';

export interface PreviewOptions extends MapOptions, DecideFlags {
  project: string;
  /** ISO date for the Date header and {{date}}; default: when the close was decided, else now. */
  date?: string;
  out?: string;
  open: boolean;
  json: boolean;
  /** Send each distinct message to this address only, marked [TEST]. */
  sendTo?: string;
}

export async function runPreview(o: PreviewOptions, ctx: Context): Promise<number> {
  checkProjectId(o.project);
  const date = parseDate(o.date);
  const sendTo = o.sendTo === undefined ? undefined : testAddress(o.sendTo, '--send-to');
  if (sendTo && (o.out || o.open || o.json)) throw new UsageError('--send-to sends the messages to you; --out, --open and --json show them: choose one');
  const map = await openMap(o, ctx);
  const state = warned(await ctx.ports.log.readState(map, logName(map, ctx), o.project), ctx);
  const recorded = fromLog(state);
  if (state.planned && hasAnswers(o) && !ctx.quiet) ctx.stderr.write(`notify: the decisions of ${o.project} were recorded on ${state.planned.ts}; previewing those, not the flags\n`);
  const decisions = recorded ?? (await decideQuietly(map, o, ctx));
  // The plan close would carry out; a preview shows every message of it, sent or not.
  const plan = planClose(map, state, decisions, { now: ctx.now(), resendUnknown: false });
  if (sendTo) return sendTests(map, plan.decisions, plan.deliveries, date ?? plan.date, sendTo, {}, ctx);
  const messages = await prepareMessages(map, plan.decisions, plan.deliveries, date ?? plan.date, ctx.cwd);
  const status = (m: PreparedMessage) => statusOf(state, m.delivery.key);

  let written: WrittenPreview | undefined;
  if (o.out || o.open) {
    const dir = o.out ? path.resolve(ctx.cwd, o.out) : await ctx.ports.previews.tempDir(o.project);
    written = await ctx.ports.previews.write(dir, o.project, messages.map((m) => ({ recipient: m.delivery.to.address, raw: m.message.raw, html: m.rendered.html, headers: readableHeaders(m.message.raw), status: status(m) })));
    if (!ctx.quiet) ctx.stderr.write(`Wrote ${messages.length} .eml and .html file${messages.length === 1 ? '' : 's'} and index.html to ${displayPath(ctx.cwd, dir)}\n`);
  }

  if (o.json) {
    const rows = messages.map((m, i) => ({
      to: m.delivery.to.address,
      parties: m.delivery.parties,
      message_id: m.delivery.messageId,
      subject: m.rendered.subject,
      status: status(m),
      bytes: m.message.raw.length,
      ...(written ? { eml: written.files[i].eml, html: written.files[i].html } : {}),
    }));
    ctx.stdout.write(`${JSON.stringify({ project: o.project, decided: Boolean(recorded), closed: Boolean(state.closed), messages: rows }, null, 2)}\n`);
  } else if (written && o.out) {
    // The files hold the messages; the terminal gets one line per file.
    const { files } = written;
    messages.forEach((m, i) => ctx.stdout.write(`${displayPath(ctx.cwd, files[i].eml)}  ${m.rendered.subject}  (${status(m)})\n`));
  } else {
    printMessages(decisions, messages, status, Boolean(recorded), ctx);
  }

  if (o.open && written) {
    const target = messages.length === 1 ? written.files[0].html : written.index;
    const r = await ctx.ports.previews.open(target, ctx.env);
    if (!r.opened) ctx.stderr.write(`notify: no browser opened (${r.why}); open ${displayPath(ctx.cwd, target)} yourself\n`);
  }
  return EXIT.ok;
}

function parseDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw new UsageError(`--date ${value}: not an ISO date, e.g. 2027-01-05T09:00:00Z`);
  return d;
}

function hasAnswers(o: DecideFlags): boolean {
  return o.actions.length > 0 || o.parties.length > 0 || o.skips.length > 0 || o.summary !== undefined || o.detailsFile !== undefined || o.title !== undefined || noticeFlagsGiven(o).length > 0;
}

/**
 * As close decides (the reviewed plan, else the map and the flags), asking nothing they answer:
 * only when an answer is missing, and there is a terminal, ask as close would. No plan is written.
 */
async function decideQuietly(map: StakeholderMap, o: PreviewOptions, ctx: Context): Promise<Decisions> {
  try {
    return (await decideWithPlan(map, o.project, o, { ...ctx, interactive: false })).decisions;
  } catch (err) {
    if (!(err instanceof UsageError) || !ctx.interactive) throw err;
    return (await decideWithPlan(map, o.project, o, ctx)).decisions;
  }
}

function statusOf(state: ProjectState, key: string): string {
  const r = state.recipients.get(key);
  if (!r) return state.planned ? 'to send' : 'would be sent';
  if (r.status === 'sent') return `sent ${r.ts}`;
  return r.status === 'failed' ? 'failed, to send again' : 'outcome unknown';
}

function printMessages(d: Decisions, messages: PreparedMessage[], status: (m: PreparedMessage) => string, recorded: boolean, ctx: Context): void {
  const s = ctx.style;
  const out = ctx.stdout;
  out.write(`${s.bold(`Preview of the close of ${d.project}`)}: ${messages.length} message${messages.length === 1 ? '' : 's'} (${recorded ? 'as decided and recorded' : 'nothing is sent or recorded'})\n`);
  for (const sk of d.skipped) out.write(`  skipped: ${sk.party} (${sk.reason})\n`);
  messages.forEach((m, i) => {
    out.write(`\n${s.dim(`── ${i + 1}/${messages.length} ── ${status(m)} ──`)}\n`);
    for (const [name, value] of readableHeaders(m.message.raw)) out.write(`${s.bold(`${name}:`)} ${value}\n`);
    out.write(`\n${m.rendered.text}`);
  });
}
