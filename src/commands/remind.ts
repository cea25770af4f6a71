/** notify remind <project>: the reminders and escalations that are due, sent once each. */
import { openTransport } from '../app/open-transport.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { checkProjectId } from '../app/close/decide.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';
import { openSession } from '../app/close/session.js';
import { planReminders, sendSteps, stepMessages, type StepMessage } from '../app/acks/remind.js';

export interface RemindOptions extends MapOptions {
  project: string;
  yes: boolean;
  dryRun: boolean;
  transport?: string;
}

export async function runRemind(o: RemindOptions, ctx: Context): Promise<number> {
  checkProjectId(o.project);
  const map = await openMap(o, ctx);
  const shown = logName(map, ctx);
  const first = warned(await ctx.ports.log.readState(map, shown, o.project), ctx);
  if (!first.planned) throw new UsageError(`${o.project} has no close in the log: there is nobody to remind yet`, `run notify close ${o.project} first`);
  const plan = planReminders(map, first, ctx.now());
  const messages = stepMessages(map, first, plan.due, ctx.cwd);
  for (const u of plan.unknown) ctx.stderr.write(`notify: warning: the ${u.step === 'remind' ? 'reminder' : 'escalation'} to ${u.recipient} was started on ${u.ts} and its outcome is unknown; it is not sent again\n`);
  if (messages.length === 0) {
    if (!ctx.quiet) ctx.stderr.write(`Nothing to send for ${o.project} now${plan.next ? `; the next reminder or escalation is due on ${plan.next.toISOString()}` : ''}.\n`);
    return EXIT.ok;
  }
  show(messages, ctx, o.dryRun);
  if (o.dryRun) return EXIT.ok;
  if (!o.yes) {
    if (!ctx.interactive) throw new UsageError('confirmation needed: run with --yes to send without a terminal (or --dry-run to only look)');
    if (!(await ctx.prompter.confirm(`Send ${messages.length} message${messages.length === 1 ? '' : 's'} now?`, true))) throw new UsageError('not sent: you declined at the confirmation');
  }
  const chosen = await ctx.ports.transports.choose(map, ctx.env, ctx.cwd, { transport: o.transport });
  const opening = openTransport(chosen);
  opening.catch(() => undefined);
  const session = await openSession({ logFile: map.log, lockFile: ctx.ports.log.realPath(map.log), shown, wait: true, opening, composer: 'inline' }, ctx);
  try {
    // Under the lock, from the log as it is now: another run may have reminded meanwhile.
    const state = warned(await ctx.ports.log.readState(map, shown, o.project), ctx);
    const now = stepMessages(map, state, planReminders(map, state, ctx.now()).due, ctx.cwd);
    const r = await sendSteps(map, o.project, now, session, ctx);
    if (!ctx.quiet) ctx.stderr.write(`${ctx.style.tick} ${r.sent} sent${r.failed ? `, ${r.failed} failed (a rerun tries them again)` : ''}${r.unknown ? `, ${r.unknown} with an unknown outcome` : ''}.\n`);
    return r.failed || r.unknown ? EXIT.incomplete : EXIT.ok;
  } finally {
    await session.close();
  }
}

function show(messages: StepMessage[], ctx: Context, dryRun: boolean): void {
  if (ctx.quiet && !dryRun) return;
  const out = dryRun ? ctx.stdout : ctx.stderr;
  out.write(`${dryRun ? 'Dry run: would send' : 'Sending'} ${messages.length} message${messages.length === 1 ? '' : 's'}:\n`);
  for (const m of messages) {
    const what = m.due.step === 'remind' ? 'reminder' : `escalation about ${m.due.party} (${m.due.waiting?.length} waiting)`;
    out.write(`  ${what} to ${m.due.to.address}: "${m.rendered.subject}"\n`);
  }
}

