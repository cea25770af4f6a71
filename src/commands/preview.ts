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
import { requireKnownProject } from '../app/known-project.js';
import { compareWithSent, type RecordedComparison } from '../app/preview/recorded.js';
import { dateNote } from '../app/amend/what.js';
import { inForce } from '../domain/in-force.js';

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
  const shown = logName(map, ctx);
  const state = warned(await ctx.ports.log.readState(map, shown, o.project), ctx);
  await requireKnownProject(map, o.project, ctx, { inLog: state.firstTs !== undefined, adHoc: { command: 'preview', title: o.title } });
  const recorded = fromLog(state);
  const moved = state.planned ? dateNote(state) : undefined;
  if (moved && !ctx.quiet) ctx.stderr.write(`notify: ${o.project}: ${moved}\n`);
  if (state.planned && hasAnswers(o) && !ctx.quiet) ctx.stderr.write(`notify: the decisions of ${o.project} were recorded on ${state.planned.ts}; previewing those, not the flags\n`);
  const decisions = recorded ?? (await decideQuietly(map, o, ctx));
  // The plan close would carry out; a preview shows every message of it, sent or not.
  const plan = planClose(map, state, decisions, { now: ctx.now(), resendUnknown: false });
  if (sendTo) return sendTests(map, plan.decisions, plan.deliveries, date ?? plan.date, sendTo, {}, ctx);
  const messages = await prepareMessages(map, plan.decisions, plan.deliveries, date ?? plan.date, ctx.cwd);
  // A recorded close: what was sent, and what today's map would change.
  const against = state.planned ? await compareWithSent(ctx, map, shown, o.project, Boolean(state.closed), messages) : undefined;
  const status = (m: PreparedMessage) => statusOf(state, m, against);

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
      sent_subject: against?.of(m).sent?.subject ?? null,
      as_sent: asSent(against, m),
      ...(written ? { eml: written.files[i].eml, html: written.files[i].html } : {}),
    }));
    const differs = (against?.differing ?? []).map((m) => m.delivery.to.address);
    const gone = (against?.gone ?? []).map((g) => ({ to: g.recipient, message_id: g.messageId, subject: g.subject ?? null, sent_at: g.at }));
    // effective: the date in force (after any amendment that moved it), null without one or once cancelled.
    const now = inForce(state);
    const effective = state.planned ? (now.cancelledBy ? null : (now.effective ?? null)) : (decisions.effective ?? null);
    ctx.stdout.write(`${JSON.stringify({ project: o.project, decided: Boolean(recorded), closed: Boolean(state.closed), effective, messages: rows, differs, no_longer_in_map: gone }, null, 2)}\n`);
  } else if (written && o.out) {
    // The files hold the messages; the terminal gets one line per file.
    const { files } = written;
    messages.forEach((m, i) => ctx.stdout.write(`${displayPath(ctx.cwd, files[i].eml)}  ${m.rendered.subject}  (${status(m)})\n`));
    if (against) printComparison(against, messages, ctx);
  } else {
    printMessages(decisions, messages, status, against, state.planned?.ts, ctx);
    if (against) printComparison(against, messages, ctx);
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
    return (await decideWithPlan(map, o.project, o, { ...ctx, interactive: false }, { draftAsPlan: true })).decisions;
  } catch (err) {
    if (!(err instanceof UsageError) || !ctx.interactive) throw err;
    return (await decideWithPlan(map, o.project, o, ctx, { draftAsPlan: true })).decisions;
  }
}

const COMPARED: Record<string, string> = {
  same: 'the bytes sent',
  differs: "today's map changes it: rebuilt below as it would be now",
  added: 'never told: added to the map since the close',
  unknown: 'no fingerprint in the log to compare with',
};

function statusOf(state: ProjectState, m: PreparedMessage, against: RecordedComparison | undefined): string {
  const r = state.recipients.get(m.delivery.key);
  const compared = against ? COMPARED[against.of(m).comparison] : undefined;
  if (!r) return compared ?? (state.planned ? 'to send' : 'would be sent');
  if (r.status === 'sent') return `sent ${r.ts}${compared ? `, ${compared}` : ''}`;
  return r.status === 'failed' ? 'failed, to send again' : 'outcome unknown';
}

/** True: the rebuilt bytes are the bytes sent; false: today's map changes them; null: nothing to compare. */
function asSent(against: RecordedComparison | undefined, m: PreparedMessage): boolean | null {
  const c = against?.of(m).comparison;
  return c === 'same' ? true : c === 'differs' || c === 'added' ? false : null;
}

function printMessages(d: Decisions, messages: PreparedMessage[], status: (m: PreparedMessage) => string, against: RecordedComparison | undefined, decidedAt: string | undefined, ctx: Context): void {
  const s = ctx.style;
  const out = ctx.stdout;
  const what = against ? `as decided on ${decidedAt}: rebuilt from the recorded decisions, dated as sent` : 'nothing is sent or recorded';
  out.write(`${s.bold(`Preview of the close of ${d.project}`)}: ${messages.length} message${messages.length === 1 ? '' : 's'} (${what})\n`);
  for (const sk of d.skipped) out.write(`  skipped: ${sk.party} (${sk.reason})\n`);
  messages.forEach((m, i) => {
    out.write(`\n${s.dim(`── ${i + 1}/${messages.length} ── ${status(m)} ──`)}\n`);
    const sent = against?.of(m).sent?.subject;
    for (const [name, value] of readableHeaders(m.message.raw)) {
      // The subject shown is the one that went out; today's follows when it differs.
      if (sent !== undefined && name.toLowerCase() === 'subject') {
        out.write(`${s.bold('Subject:')} ${sent}\n`);
        if (value !== sent) out.write(`${s.bold("Subject under today's map:")} ${value}\n`);
      } else out.write(`${s.bold(`${name}:`)} ${value}\n`);
    }
    out.write(`\n${m.rendered.text}`);
  });
}

/** Which messages today's map would change, and what was sent that it can no longer rebuild. */
function printComparison(against: RecordedComparison, messages: PreparedMessage[], ctx: Context): void {
  const out = ctx.stdout;
  const { differing, gone } = against;
  const count = messages.length;
  const unknown = messages.filter((m) => against.of(m).comparison === 'unknown').length;
  if (unknown > 0) out.write(`\n${unknown} message${unknown === 1 ? ' has' : 's have'} no fingerprint in the log (marked as sent by hand, or sent by an older notify) and cannot be compared.\n`);
  if (differing.length === 0 && gone.length === 0) {
    const same = messages.filter((m) => against.of(m).comparison === 'same').length;
    if (same === count) out.write(`\nUnder today's map every message is byte for byte the one sent.\n`);
    else if (same > 0) out.write(`\nUnder today's map the ${same} message${same === 1 ? '' : 's'} sent with a fingerprint ${same === 1 ? 'is' : 'are'} byte for byte the one${same === 1 ? '' : 's'} sent.\n`);
    return;
  }
  if (differing.length > 0) {
    out.write(`\nUnder today's map ${differing.length} of ${count} message${count === 1 ? '' : 's'} would differ from what was sent (a template, a party or a contact changed since):\n`);
    for (const m of differing) {
      const { sent, comparison } = against.of(m);
      const why = comparison === 'added' ? 'never told: added to the map since the close' : sent?.subject !== undefined && sent.subject !== m.rendered.subject ? `sent as "${sent.subject}", now "${m.rendered.subject}"` : 'the subject is the same, the rest differs';
      out.write(`  ${m.delivery.to.address}  ${why}\n`);
    }
  }
  if (gone.length > 0) {
    out.write(`\nSent, and no longer in the map (not rebuilt):\n`);
    for (const g of gone) out.write(`  ${g.recipient}  ${g.messageId}${g.subject !== undefined ? `  "${g.subject}"` : ''}  sent ${g.at}\n`);
  }
}
