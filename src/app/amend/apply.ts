/**
 * Carry out an amendment inside its session: decide again from the log under the lock, record
 * close.amended, send what is left (write-ahead, like a close), and record the project closed
 * again only when the log on disk shows every message of the amendment sent.
 */
import type { Context } from '../../context.js';
import { fromAmendment, planAmendment, type AmendDecisions, type AmendPlan } from '../../domain/amend-plan.js';
import type { StakeholderMap } from '../../domain/map.js';
import { isComplete, openParties } from '../../domain/close-plan.js';
import { EXIT, IncompleteError, UsageError } from '../../errors.js';
import { logChanged, markSent, recordingSink, send, type ApplyOptions } from '../close/apply.js';
import { printChecklist } from '../close/checklist.js';
import type { RenderedMessage } from '../close/prepare.js';
import type { CloseSession } from '../close/session.js';
import { warned } from '../workspace.js';

export async function applyAmendPlan(map: StakeholderMap, first: AmendPlan, messages: RenderedMessage[], session: CloseSession, o: ApplyOptions, ctx: Context): Promise<number> {
  const project = first.project;
  // Another run may have amended, or finished this amendment, while this one was asking.
  const state = warned(await ctx.ports.log.readState(map, o.shown, project), ctx);
  if (first.recorded && !state.amending) {
    ctx.stderr.write(`${ctx.style.tick} the amendment of ${project} was finished by another run; nothing to send.\n`);
    return EXIT.ok;
  }
  if (!first.recorded && (state.amending || !state.closed || state.amendments.length !== first.ordinal - 1)) {
    const other = state.amending ? fromAmendment(state.amending) : undefined;
    if (!other || !sameAmendment(other, first.amendment)) {
      throw new UsageError(`${project} was amended by another run while this one was deciding; nothing was sent`, `see \`notify status ${project}\`, then run \`notify amend ${project}\` again`);
    }
  }
  const sink = recordingSink(session, state);
  const a = first.amendment;
  if (!state.amending) {
    await sink.append({ event: 'close.amended', project, kind: a.kind, parties: a.parties, summary: a.summary, details: a.details, reason: a.reason, decided_by: a.decidedBy, effective: a.effective, notice: a.notice });
  }
  for (const l of o.told?.accepted ?? []) await sink.append({ event: 'party.late', project, ...l });
  await markSent(o.markSent, project, first.deliveries, state.amending!.recipients, sink);
  const plan = planAmendment(map, state, a, { now: first.date, resendUnknown: o.resendUnknown });
  await send(map, plan, messages, session, sink, o, ctx);
  await session.writer.settle();
  const gone = session.writer.lost();
  if (gone) throw logChanged(project, gone);
  const final = planAmendment(map, state, a, { now: first.date, resendUnknown: false });
  const complete = isComplete(final.progress);
  if (complete) await sink.append(closedAgain(state.amending!.after, final));
  printChecklist(final.progress, complete, ctx, true);
  if (complete) return EXIT.ok;
  const open = openParties(final.progress).length;
  const mine = state.amending!.recipients;
  const refused = final.deliveries.filter((d) => mine.get(d.key)?.status === 'failed' && mine.get(d.key)?.permanent === true);
  const hint = final.progress.unknown.length > 0
    ? `an outcome is unknown: check with the recipient, then run \`notify amend ${project} --resend-unknown\` (same Message-ID) or --mark-sent RECIPIENT="reason"`
    : refused.length > 0
      ? (await import('../close/refused-advice.js')).refusedAdvice(map, mine, refused, ctx.cwd, { rerun: `notify amend ${project}`, skippable: [] })
      : `run \`notify amend ${project}\` again to retry only what is missing`;
  throw new IncompleteError(`${project} is not closed again: the amendment has not reached ${open} part${open === 1 ? 'y' : 'ies'} yet`, hint);
}

/** The project.closed that ends an amendment: the close's parties plus those told now. */
function closedAgain(before: { notified: string[]; skipped: { party: string; reason: string }[]; recipients: number } | undefined, plan: AmendPlan) {
  const told = plan.amendment.kind === 'parties' ? [...new Set([...(before?.notified ?? []), ...plan.progress.notified])] : (before?.notified ?? []);
  return {
    event: 'project.closed' as const,
    project: plan.project,
    notified: told,
    skipped: (before?.skipped ?? []).filter((s) => !told.includes(s.party)),
    recipients: (before?.recipients ?? 0) + (plan.amendment.kind === 'parties' ? plan.newRecipients : 0),
  };
}

function sameAmendment(x: AmendDecisions, y: AmendDecisions): boolean {
  return x.kind === y.kind && x.summary === y.summary && x.reason === y.reason && (x.details ?? '') === (y.details ?? '') && x.parties.join() === y.parties.join() && (x.effective ?? '') === (y.effective ?? '');
}
