/**
 * The story of an amendment, like a close's: decide (or find the amendment in progress), plan,
 * show the plan and confirm, then apply it inside one session. `notify amend` runs it, and so
 * does `notify close` on a project whose amendment is in progress.
 */
import { openTransport } from '../open-transport.js';
import type { Context } from '../../context.js';
import { planAmendment, type AmendPlan } from '../../domain/amend-plan.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { ProjectState } from '../../domain/state.js';
import { EXIT, UsageError } from '../../errors.js';
import type { TransportFlags } from '../../ports.js';
import { applyAmendPlan } from './apply.js';
import { decideAmendment, type AmendFlags } from './decide.js';
import { amendLateGate } from './late.js';
import { WORKER_FROM } from '../close/apply.js';
import { describe, renderMessages, type RenderedMessage } from '../close/prepare.js';
import { openSession } from '../close/session.js';

export interface AmendRun extends AmendFlags, TransportFlags {
  /** A move whose new deadline has passed: each late party with its reason (PARTY=REASON). */
  acceptLate?: string[];
  yes: boolean;
  dryRun: boolean;
  resendUnknown: boolean;
  markSent: string[];
  wait: boolean;
}

export async function amendProject(map: StakeholderMap, state: ProjectState, shown: string, o: AmendRun, ctx: Context): Promise<number> {
  const decided = await decideAmendment(map, state, o, ctx);
  const plan = planAmendment(map, state, decided.decisions, { now: ctx.now(), resendUnknown: o.resendUnknown });
  const messages = renderMessages(map, plan.decisions, plan.toSend, plan.date, ctx.cwd);
  if (o.dryRun) return dryRun(plan, messages, ctx);
  // Told in time: a move whose new deadline has passed needs a reason before anything is sent or recorded.
  const accepted = await amendLateGate(map, state, plan.amendment, o.acceptLate ?? [], ctx);
  const chosen = messages.length > 0 ? await ctx.ports.transports.choose(map, ctx.env, ctx.cwd, o) : undefined;
  const opening = chosen ? openTransport(chosen) : undefined;
  opening?.catch(() => undefined);
  printPlan(plan, messages, ctx);
  try {
    await confirm(o, ctx, messages.length, plan.recorded);
  } catch (err) {
    void opening?.then((t) => t.close(), () => undefined);
    throw err;
  }
  const session = await openSession({ logFile: map.log, lockFile: ctx.ports.log.realPath(map.log), shown, wait: o.wait, opening, composer: chosen && messages.length >= WORKER_FROM ? 'worker' : 'inline' }, ctx);
  try {
    return await applyAmendPlan(map, plan, messages, session, { resendUnknown: o.resendUnknown, markSent: o.markSent, concurrency: chosen?.concurrency ?? 5, shown, told: { accepted } }, ctx);
  } finally {
    await session.close();
  }
}


function headline(plan: AmendPlan): string {
  const a = plan.amendment;
  if (a.kind === 'parties') return `tell ${a.parties.join(', ')}`;
  if (a.kind === 'cancel') return 'tell everyone told that the change is cancelled';
  const moved = plan.decisions.effective && a.effective ? `; the date moves to ${a.effective}${plan.decisions.previousEffective ? ` (was ${plan.decisions.previousEffective})` : ''}` : '';
  return `correction to everyone told: ${a.summary}${moved}`;
}

function printPlan(plan: AmendPlan, messages: RenderedMessage[], ctx: Context): void {
  if (ctx.quiet) return;
  const s = ctx.style;
  ctx.stderr.write(`${s.bold(`Amend ${plan.project}`)}: ${headline(plan)}\n  reason: ${plan.amendment.reason}\n`);
  const already = plan.deliveries.length - plan.newRecipients;
  if (plan.amendment.kind === 'parties' && already > 0) ctx.stderr.write(`  already told through another party: ${already} ${already === 1 ? 'person' : 'people'}\n`);
  ctx.stderr.write(`${messages.length} message${messages.length === 1 ? '' : 's'} to send:\n`);
  for (const m of messages.slice(0, 20)) ctx.stderr.write(`  ${describe(m)}\n`);
  if (messages.length > 20) ctx.stderr.write(`  … and ${messages.length - 20} more\n`);
}

async function confirm(o: AmendRun, ctx: Context, count: number, recorded: boolean): Promise<void> {
  if (o.yes || (count === 0 && recorded)) return;
  if (!ctx.interactive) throw new UsageError('confirmation needed: run with --yes to send without a terminal (or --dry-run to only look)');
  const question = count === 0 ? 'Record the amendment (nothing to send)?' : `Send ${count} message${count === 1 ? '' : 's'} now?`;
  if (!(await ctx.prompter.confirm(question, false))) throw new UsageError('not sent: you declined at the confirmation; the amendment is not recorded');
}

function dryRun(plan: AmendPlan, messages: RenderedMessage[], ctx: Context): number {
  const s = ctx.style;
  ctx.stdout.write(`Dry run for the amendment of ${plan.project} (${headline(plan)}): ${messages.length} message${messages.length === 1 ? '' : 's'} would be sent; nothing is sent or recorded.\n`);
  for (const m of messages) {
    const thread = m.delivery.inReplyTo ? `\nIn-Reply-To: ${m.delivery.inReplyTo}` : '';
    ctx.stdout.write(`\n${s.bold(`To: ${m.delivery.to.address}`)}  ${s.dim(`[${m.delivery.parties.join(', ')}] ${m.delivery.messageId}`)}${thread}\nSubject: ${m.rendered.subject}\n\n${m.rendered.text}`);
  }
  return EXIT.ok;
}
