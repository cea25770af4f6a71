/**
 * The decisions of an amendment: the one in progress in the log (refused if this run's flags
 * say otherwise), else from flags, else from prompts (only when interactive). A missing answer
 * without a terminal names its flag.
 */
import type { Choice, Context } from '../../context.js';
import { fromAmendment, toldParties, toldSoFar, type AmendDecisions } from '../../domain/amend-plan.js';
import type { StakeholderMap } from '../../domain/map.js';
import { didYouMean } from '../../domain/slug.js';
import type { ProjectState } from '../../domain/state.js';
import { UsageError } from '../../errors.js';
import { decidedBy } from '../close/decided-by.js';
import { readDetailsFile } from '../close/decide.js';
import { effectiveFlag } from '../close/decide-notice.js';
import { timeZoneOf } from '../../domain/effective.js';
import { inForce } from '../../domain/in-force.js';
import { parseWall } from '../../domain/calendar-zone.js';
import { addedDeadlines, movedDeadlines } from './late.js';

export interface AmendFlags {
  parties: string[];
  correction?: string;
  /** With --correction: the new effective date, sent as an update of the calendar event. */
  effective?: string;
  /** Tell everyone told that the change will not happen. */
  cancel?: boolean;
  detailsFile?: string;
  reason?: string;
}

export interface AmendDecided {
  decisions: AmendDecisions;
  /** True when the amendment is already in the log: this run resumes it. */
  recorded: boolean;
}

export async function decideAmendment(map: StakeholderMap, state: ProjectState, f: AmendFlags, ctx: Context): Promise<AmendDecided> {
  const project = state.project;
  if (state.amending) return { decisions: resumed(state, f, ctx), recorded: true };
  if (!state.closed) {
    if (state.planned) throw new UsageError(`${project} is not closed yet: its close, decided on ${state.planned.ts}, is still in progress; nothing was sent`, `finish it first with \`notify close ${project}\`; once it is closed, \`notify amend ${project} --party ID\` tells a party that was left out`);
    throw new UsageError(`${project} has not been closed: there is nothing to amend; nothing was sent`, `tell every affected party with \`notify close ${project}\``);
  }
  const cancelled = inForce(state).cancelledBy;
  if (cancelled) throw new UsageError(`${project} was cancelled on ${cancelled.event.ts} ("${cancelled.event.reason}"): there is nothing left to amend; nothing was sent`);
  if (f.cancel && (f.parties.length > 0 || f.correction !== undefined || f.effective !== undefined)) throw new UsageError('--cancel goes alone (with --reason, and --details-file if you have more to say): amend one thing at a time; nothing was sent');
  if (f.parties.length > 0 && f.correction !== undefined) throw new UsageError('give --party or --correction, not both: amend one thing at a time');
  if (f.effective !== undefined && f.correction === undefined) throw new UsageError('--effective goes with --correction: say in one line what changes, for everyone told; nothing was sent', `notify amend ${project} --correction "The change moves to the new date" --effective ${f.effective} --reason "why"`);
  if (f.detailsFile !== undefined && f.correction === undefined && !f.cancel) throw new UsageError('--details-file goes with --correction or --cancel: the parties told now receive the message as it was decided', `to send new details to everyone told: notify amend ${project} --correction "what changed" --details-file ${f.detailsFile}`);
  const effective = movedTo(map, state, f.effective);
  if (f.cancel) return { recorded: false, decisions: await cancellation(map, state, f, ctx) };
  const closed = state.closed;
  const told = new Set(closed.notified);
  for (const p of f.parties) {
    if (!map.parties.has(p)) throw new UsageError(`--party ${p}: no such party in the map${didYouMean(p, map.parties.keys())}; nothing was sent`);
    if (told.has(p)) throw new UsageError(`--party ${p}: "${map.parties.get(p)!.name}" was already told when ${project} was closed (${closed.ts}); nothing was sent`, `to send everyone told a correction: notify amend ${project} --correction "what changed" --reason "why"`);
  }
  let parties = [...map.parties.keys()].filter((p) => f.parties.includes(p));
  let correction = f.correction;
  if (parties.length === 0 && correction === undefined) {
    if (!ctx.interactive) throw new UsageError(`what should be amended? give --party ID for a party that was left out, or --correction TEXT for everyone told`, `parties not told: ${[...map.parties.keys()].filter((p) => !told.has(p)).join(', ') || '(none)'}`);
    parties = await askParties(map, told, ctx);
    if (parties.length === 0) correction = await ctx.prompter.input(`Correction for everyone told of ${project} (one line):`, { required: true });
  }
  const reason = await decideReason(f, ctx);
  if (correction !== undefined) {
    correction = oneLine(correction, '--correction', 'the correction');
    if (toldSoFar(state).size === 0) throw new UsageError(`nobody was told of ${project}, so there is nobody to correct; nothing was sent`);
    const details = await decideDetails(f, ctx);
    const moved = effective === undefined ? {} : { effective, notice: await movedDeadlines(map, state, effective, ctx) };
    return { recorded: false, decisions: { project, kind: 'correction', parties: toldParties(map, state), summary: correction, details, reason, decidedBy: await decidedBy(ctx, map.dir), ...moved } };
  }
  const planned = state.planned!;
  const notice = await addedDeadlines(map, state, parties, ctx);
  return { recorded: false, decisions: { project, kind: 'parties', parties, summary: planned.summary, details: planned.details, reason, decidedBy: await decidedBy(ctx, map.dir), ...(notice.length ? { notice } : {}) } };
}

/** The amendment in progress; flags that would change it are refused, not ignored. */
function resumed(state: ProjectState, f: AmendFlags, ctx: Context): AmendDecisions {
  const a = fromAmendment(state.amending!);
  const differ: string[] = [];
  if (f.parties.length > 0 && (a.kind !== 'parties' || f.parties.some((p) => !a.parties.includes(p)))) differ.push('--party');
  if (f.correction !== undefined && (a.kind !== 'correction' || f.correction.trim() !== a.summary)) differ.push('--correction');
  if (f.effective !== undefined && (a.kind !== 'correction' || effectiveFlag(f.effective) !== a.effective)) differ.push('--effective');
  if (f.cancel && a.kind !== 'cancel') differ.push('--cancel');
  if (f.reason !== undefined && f.reason.trim() !== a.reason) differ.push('--reason');
  if (f.detailsFile !== undefined && readDetailsFile(f.detailsFile, ctx.cwd) !== a.details) differ.push('--details-file');
  if (differ.length > 0) {
    const what = a.kind === 'parties' ? `telling ${a.parties.join(', ')}` : a.kind === 'cancel' ? 'the cancellation' : `the correction "${a.summary}"${a.effective ? ` moving the date to ${a.effective}` : ''}`;
    throw new UsageError(
      `${a.project}: an amendment recorded on ${state.amending!.event.ts} (${what}) is still in progress, and this run's ${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'} from it; nothing was sent`,
      `finish it first: \`notify amend ${a.project}\` sends the rest of it; then amend again`,
    );
  }
  if (!ctx.quiet) ctx.stderr.write(`Resuming the amendment of ${a.project} recorded on ${state.amending!.event.ts}.\n`);
  return a;
}

async function askParties(map: StakeholderMap, told: Set<string>, ctx: Context): Promise<string[]> {
  const choices: Choice[] = [...map.parties.values()]
    .filter((p) => !told.has(p.id))
    .map((p) => ({ value: p.id, name: `${p.name} (${p.id})`, checked: false }));
  if (choices.length === 0) return [];
  return ctx.prompter.checkbox('Which parties were left out? (select none to send a correction to everyone told instead)', choices);
}

async function decideReason(f: AmendFlags, ctx: Context): Promise<string> {
  let reason = f.reason;
  if (reason === undefined) {
    if (!ctx.interactive) throw new UsageError('why is the close amended? give --reason "..." (one line, recorded in the log)');
    reason = await ctx.prompter.input('Why is the close amended? (one line, recorded in the log)', { required: true });
  }
  return oneLine(reason, '--reason', 'the reason');
}

function oneLine(text: string, flag: string, what: string): string {
  const t = text.trim();
  if (!t) throw new UsageError(`${what} is empty: give ${flag} "..."`);
  if (/[\r\n]/.test(t)) throw new UsageError(`${flag} contains a line break; it must be one line${flag === '--correction' ? ' (put the rest in --details-file)' : ''}`);
  return t;
}

async function decideDetails(f: AmendFlags, ctx: Context, what = 'the correction'): Promise<string | undefined> {
  if (f.detailsFile !== undefined) return readDetailsFile(f.detailsFile, ctx.cwd);
  if (!ctx.interactive) return undefined;
  if (!(await ctx.prompter.confirm(`Add details to ${what}? Opens your editor`, false))) return undefined;
  return (await ctx.prompter.editor(`Details of ${what} (Markdown):`)).trim() || undefined;
}

/** The new date of a move, checked: a date, and not the one already in force. */
function movedTo(map: StakeholderMap, state: ProjectState, flag: string | undefined): string | undefined {
  const effective = effectiveFlag(flag, inForce(state).timezone ?? timeZoneOf(map));
  if (effective === undefined) return undefined;
  const now = inForce(state).effective;
  // The same instant however it is written: "2027-01-21" is from midnight, as "2027-01-21 00:00" is.
  if (now !== undefined && parseWall(now) === parseWall(effective)) throw new UsageError(`--effective ${flag}: ${state.project} already takes effect then; nothing was sent`, 'to correct something else, leave --effective out');
  return effective;
}

/** `--cancel`: everyone told hears that the change will not happen. */
async function cancellation(map: StakeholderMap, state: ProjectState, f: AmendFlags, ctx: Context): Promise<AmendDecisions> {
  const reason = await decideReason(f, ctx);
  if (toldSoFar(state).size === 0) throw new UsageError(`nobody was told of ${state.project}, so there is nobody to tell of its cancellation; nothing was sent`);
  const details = await decideDetails(f, ctx, 'the cancellation');
  return { project: state.project, kind: 'cancel', parties: toldParties(map, state), summary: state.planned!.summary, details, reason, decidedBy: await decidedBy(ctx, map.dir) };
}
