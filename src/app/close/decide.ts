/**
 * The decisions of a close: from the log when they were already made, else from flags, else
 * from prompts (only when interactive). A missing answer without a terminal names its flag.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Choice, Context } from '../../context.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { Decisions } from '../../domain/deliveries.js';
import { expectedParties, selectParties, type Selection } from '../../domain/select.js';
import { didYouMean, slugProblem } from '../../domain/slug.js';
import type { ProjectState } from '../../domain/state.js';
import type { SkippedParty } from '../../domain/events.js';
import { UsageError } from '../../errors.js';
import { noticeFromRecord } from '../../domain/notice.js';
import { askNotice, noticeFromFlags, type NoticeFlags } from './decide-notice.js';
import type { NoticeAnswers } from '../../domain/notice-skeleton.js';
import { decidedBy } from './decided-by.js';

export interface DecideFlags extends NoticeFlags {
  actions: string[];
  parties: string[];
  skips: string[];
  summary?: string;
  detailsFile?: string;
  title?: string;
  /** Reasons from outside the map (changed files), per party. */
  extraReasons?: Map<string, string[]>;
}

export function fromLog(state: ProjectState): Decisions | undefined {
  const p = state.planned;
  if (!p) return undefined;
  return { project: p.project, title: p.title, actions: p.actions, parties: p.parties, skipped: p.skipped, summary: p.summary, details: p.details, decidedBy: p.decided_by, ...noticeFromRecord(p) };
}

export function checkProjectId(id: string): void {
  const problem = slugProblem(id);
  if (problem) throw new UsageError(`project id ${problem}`);
}

/**
 * `previous`: earlier answers (the close was sent back to its questions, or a draft plan holds
 * them) that every question asked offers as its default.
 */
export async function decide(map: StakeholderMap, projectId: string, f: DecideFlags, ctx: Context, previous?: Decisions): Promise<Decisions> {
  checkProjectId(projectId);
  const project = map.projects.get(projectId);
  const actions = await decideActions(map, previous?.actions ?? project?.actions ?? [], f, ctx);
  const selection = selectParties(map, { project: projectId, actions, extra: f.extraReasons });
  const { parties, skipped } = await decideParties(map, selection, f, ctx, previous);
  const summary = await decideSummary(previous?.summary ?? project?.summary, f, ctx);
  let notice: NoticeAnswers = { ...noticeFromFlags(map, project, parties, f), details: decideDetails(f, ctx) ?? project?.details };
  // Answers given in an earlier round (edit, or a draft plan) are the defaults of this one.
  if (previous) notice = { ...previousNotice(previous, parties), timezone: notice.timezone };
  if (ctx.interactive) notice = await askNotice(map, parties, notice, f, ctx);
  const title = f.title ?? previous?.title ?? project?.title;
  if (title && /[\r\n]/.test(title)) throw new UsageError('--title contains a line break; it goes into a mail header');
  return { project: projectId, title, actions, parties, skipped, summary, ...notice, decidedBy: await decidedBy(ctx, map.dir) };
}

async function decideActions(map: StakeholderMap, projectActions: string[], f: DecideFlags, ctx: Context): Promise<string[]> {
  for (const a of f.actions) if (!map.actions.has(a)) throw new UsageError(`--action ${a}: no such action in the map${didYouMean(a, map.actions.keys())}`);
  const defaults = f.actions.length > 0 ? f.actions : projectActions;
  if (!ctx.interactive) {
    if (defaults.length === 0 && map.actions.size > 0) throw new UsageError('which actions did the project involve? give --action ID (repeatable)', `actions in the map: ${[...map.actions.keys()].join(', ')}`);
    return defaults;
  }
  if (f.actions.length > 0 || map.actions.size === 0) return defaults;
  const choices: Choice[] = [...map.actions.values()].map((a) => ({ value: a.id, name: a.description ? `${a.id}: ${a.description}` : a.id, checked: defaults.includes(a.id) }));
  return ctx.prompter.checkbox('Which actions did the project involve?', choices);
}

function parseSkips(map: StakeholderMap, skips: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of skips) {
    const eq = s.indexOf('=');
    const id = (eq < 0 ? s : s.slice(0, eq)).trim();
    const reason = eq < 0 ? '' : s.slice(eq + 1).trim();
    const party = map.parties.get(id);
    if (!party) throw new UsageError(`--skip ${id}: no such party in the map${didYouMean(id, map.parties.keys())}`);
    if (party.always) throw new UsageError(`--skip ${id}: "${party.name}" is informed of every closure and cannot be skipped`);
    if (!reason) throw new UsageError(`--skip ${id} needs a reason: --skip ${id}="why they need not be told"`);
    if (/[\r\n]/.test(reason)) throw new UsageError(`--skip ${id}: keep the reason on one line`);
    out.set(id, reason);
  }
  return out;
}

async function decideParties(map: StakeholderMap, selection: Selection[], f: DecideFlags, ctx: Context, previous?: Decisions): Promise<{ parties: string[]; skipped: SkippedParty[] }> {
  for (const p of f.parties) if (!map.parties.has(p)) throw new UsageError(`--party ${p}: no such party in the map${didYouMean(p, map.parties.keys())}`);
  const skips = parseSkips(map, f.skips);
  const expected = new Set(expectedParties(selection));
  for (const id of skips.keys()) if (!expected.has(id)) throw new UsageError(`--skip ${id}: this party is not suggested for this close, so there is nothing to skip`);
  let chosen: Set<string>;
  if (ctx.interactive && f.parties.length === 0 && skips.size === 0) {
    const label: Record<Selection['group'], string> = { always: 'always informed', suggested: 'suggested by the rules', other: 'others' };
    const order: Selection['group'][] = ['always', 'suggested', 'other'];
    // Earlier answers first: a party chosen before stays ticked, one skipped before stays unticked.
    const before = (id: string) => (previous?.parties.includes(id) ? true : previous?.skipped.some((sk) => sk.party === id) ? false : undefined);
    const choices: Choice[] = order.flatMap((g) =>
      selection
        .filter((s) => s.group === g)
        .map((s) => {
          const reasons = s.reasons.filter((r) => r !== 'always');
          return {
            value: s.party.id,
            name: `${s.party.name} (${s.party.id})${reasons.length ? ` — ${reasons.join('; ')}` : ''}`,
            checked: g === 'always' || (before(s.party.id) ?? g !== 'other'),
            disabled: g === 'always' ? '(always informed)' : false,
            group: label[g],
          };
        }),
    );
    const picked = await ctx.prompter.checkbox('Who must be told? (always-informed parties cannot be removed)', choices);
    chosen = new Set([...picked, ...selection.filter((s) => s.group === 'always').map((s) => s.party.id)]);
    for (const s of selection) {
      if (s.group === 'suggested' && !chosen.has(s.party.id)) {
        const earlier = previous?.skipped.find((sk) => sk.party === s.party.id)?.reason;
        const reason = await ctx.prompter.input(`Why does ${s.party.name} not need to be told? (recorded in the log)`, { required: true, default: earlier });
        if (/[\r\n]/.test(reason) || !reason.trim()) throw new UsageError('a skip reason must be one non-empty line');
        skips.set(s.party.id, reason.trim());
      }
    }
  } else {
    chosen = new Set([...expected, ...f.parties].filter((id) => !skips.has(id)));
  }
  const parties = [...map.parties.keys()].filter((id) => chosen.has(id));
  const skipped = [...skips].map(([party, reason]) => ({ party, reason }));
  if (parties.length === 0) throw new UsageError('no party is selected: nobody would be told', 'add one with --party ID, or give the action that concerns them with --action');
  return { parties, skipped };
}

async function decideSummary(projectSummary: string | undefined, f: DecideFlags, ctx: Context): Promise<string> {
  let summary = f.summary ?? (ctx.interactive ? undefined : projectSummary);
  if (summary === undefined) {
    if (!ctx.interactive) throw new UsageError('a one-line summary is needed: give --summary "what changed"');
    summary = await ctx.prompter.input('One-line summary of what changed (it goes into every message):', { default: projectSummary, required: true });
  }
  summary = summary.trim();
  if (!summary) throw new UsageError('the summary is empty: give --summary "what changed"');
  if (/[\r\n]/.test(summary)) throw new UsageError('--summary contains a line break; it must be one line (put the rest in --details-file)');
  return summary;
}

/** --details-file; interactively the details are written in the editor with the other fields. */
function decideDetails(f: DecideFlags, ctx: Context): string | undefined {
  return f.detailsFile ? readDetailsFile(f.detailsFile, ctx.cwd) : undefined;
}

/** The Markdown of a --details-file (undefined when empty); one it cannot read is a usage error. */
export function readDetailsFile(file: string, cwd: string): string | undefined {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8').trim() || undefined;
  } catch (err) {
    throw new UsageError(`--details-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** The notice of earlier answers, without the notes of parties no longer told. */
function previousNotice(previous: Decisions, parties: string[]): NoticeAnswers {
  const notes = Object.fromEntries(Object.entries(previous.notes ?? {}).filter(([id]) => parties.includes(id)));
  const { effective, audience, customersWillSee, whatToSay, links, details } = previous;
  return { effective, audience, customersWillSee, whatToSay, links, details, notes };
}
