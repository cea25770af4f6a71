/**
 * What the message says beyond the summary: from the flags, else the map's project, else (on a
 * terminal) the effective date asked first, then the editor opened on a skeleton of the fields.
 */
import type { Context } from '../../context.js';
import type { Project, StakeholderMap } from '../../domain/map.js';
import { skippedTime, timeZoneOf } from '../../domain/effective.js';
import { compactNotice, dayIn, parseEffective, parseLink, splitNote, type NoticeFields, type NoticeLink } from '../../domain/notice.js';
import { noticeSkeleton, parseNoticeText, type NoticeAnswers } from '../../domain/notice-skeleton.js';
import { didYouMean } from '../../domain/slug.js';
import { UsageError } from '../../errors.js';

export interface NoticeFlags {
  effective?: string;
  audience?: string;
  customersSee?: string;
  answer?: string;
  /** --note PARTY=TEXT, repeatable. */
  notes?: string[];
  /** --link "Title=https://...", repeatable. */
  links?: string[];
}

/** None of the fields given by a flag: an edit round asks them all again, the earlier answers as defaults. */
export const NO_NOTICE_FLAGS: NoticeFlags = { effective: undefined, audience: undefined, customersSee: undefined, answer: undefined, notes: [], links: [] };

/** The flags that write the message's fields: given any, the editor is not opened. */
export function noticeFlagsGiven(f: NoticeFlags & { detailsFile?: string }): string[] {
  return [
    f.effective !== undefined ? '--effective' : '',
    f.audience !== undefined ? '--audience' : '',
    f.customersSee !== undefined ? '--customers-see' : '',
    f.answer !== undefined ? '--answer' : '',
    f.notes?.length ? '--note' : '',
    f.links?.length ? '--link' : '',
  ].filter(Boolean);
}

/** The effective date of the flags or the map, checked; undefined when neither gives one. */
export function effectiveFlag(value: string | undefined, timeZone?: string): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseEffective(value);
  if ('problem' in parsed) throw new UsageError(`--effective ${parsed.problem}`);
  const skipped = timeZone === undefined ? undefined : skippedTime(parsed.value, timeZone);
  if (skipped) throw new UsageError(`--effective ${skipped}; nothing was sent`);
  return parsed.value;
}

/** The fields from the flags over the map's project, before any question. */
export function noticeFromFlags(map: StakeholderMap, project: Project | undefined, parties: string[], f: NoticeFlags): NoticeFields {
  const base = project?.notice ?? {};
  const notes: Record<string, string> = {};
  // The map's notes for parties this close tells; a note for a party left out would reach nobody.
  for (const [id, text] of Object.entries(base.notes ?? {})) if (parties.includes(id)) notes[id] = text;
  for (const raw of f.notes ?? []) {
    const { party, text } = splitNote(raw);
    if (!map.parties.has(party)) throw new UsageError(`--note ${party}: no such party in the map${didYouMean(party, map.parties.keys())}`);
    if (!parties.includes(party)) throw new UsageError(`--note ${party}: this party is not told in this close, so nobody would read the note`, `told: ${parties.join(', ')}`);
    if (!text) throw new UsageError(`--note ${party} needs the text: --note ${party}="what it means for them"`);
    notes[party] = text;
  }
  const links: NoticeLink[] = [...(base.links ?? [])];
  for (const raw of f.links ?? []) {
    const link = parseLink(raw);
    if ('problem' in link) throw new UsageError(`--link ${link.problem}`);
    if (!links.some((l) => l.url === link.url)) links.push(link);
  }
  const oneLine = (flag: string, v: string | undefined) => {
    if (v !== undefined && !v.trim()) throw new UsageError(`${flag} is empty: give the text, or leave the flag out`);
    return v;
  };
  const effective = effectiveFlag(f.effective, timeZoneOf(map)) ?? base.effective;
  return compactNotice({
    effective,
    timezone: timeZoneOf(map),
    audience: oneLine('--audience', f.audience) ?? base.audience,
    customersWillSee: oneLine('--customers-see', f.customersSee) ?? base.customersWillSee,
    whatToSay: oneLine('--answer', f.answer) ?? base.whatToSay,
    notes,
    links,
  });
}

const ATTEMPTS = 3;

/** On a terminal: when it takes effect (default today), then the editor on the skeleton; echoed back. */
export async function askNotice(map: StakeholderMap, parties: string[], given: NoticeAnswers, f: NoticeFlags & { detailsFile?: string }, ctx: Context): Promise<NoticeAnswers> {
  const tz = timeZoneOf(map);
  let out: NoticeAnswers = { ...given };
  if (f.effective === undefined) out.effective = await askEffective(given.effective ?? dayIn(ctx.now(), tz), tz, ctx);
  out.timezone = tz;
  if (noticeFlagsGiven(f).filter((x) => x !== '--effective').length === 0 && f.detailsFile === undefined) {
    const named = parties.map((id) => ({ id, name: map.parties.get(id)?.name ?? id }));
    let text = noticeSkeleton(map.locale, named, given);
    for (let i = 1; ; i++) {
      const edited = await ctx.prompter.editor('What the message says (who is affected, what customers will see, what to say, a note per party, links, details):', text);
      const { answers, problems } = parseNoticeText(edited, named);
      if (problems.length === 0) {
        out = { ...out, audience: undefined, customersWillSee: undefined, whatToSay: undefined, notes: undefined, links: undefined, details: undefined, ...answers };
        break;
      }
      if (i >= ATTEMPTS) throw new UsageError(`the message text has problems: ${problems.join('; ')}`, 'nothing was recorded or sent; run again');
      ctx.stderr.write(`${problems.map((p) => `notify: ${p}`).join('\n')}\n`);
      text = `${problems.map((p) => `<!-- ${p.replace(/--/g, '—')} -->`).join('\n')}\n${edited}`;
    }
  }
  const result = { ...compactNotice(out), details: out.details?.trim() || undefined };
  echo(map, result, ctx);
  return result;
}

async function askEffective(initial: string, timeZone: string, ctx: Context): Promise<string> {
  for (let i = 1; ; i++) {
    const answer = (await ctx.prompter.input('When does the change reach the people it affects? (YYYY-MM-DD, or "YYYY-MM-DD HH:MM")', { default: initial })).trim() || initial;
    const parsed = parseEffective(answer);
    const problem = 'value' in parsed ? skippedTime(parsed.value, timeZone) : parsed.problem;
    if (problem === undefined && 'value' in parsed) return parsed.value;
    if (i >= ATTEMPTS) throw new UsageError(`the date ${problem}`, 'nothing was recorded or sent; run again, or give --effective');
    ctx.stderr.write(`notify: ${problem}\n`);
  }
}

/** What the message will say, shown before the confirmation. */
function echo(map: StakeholderMap, n: NoticeAnswers, ctx: Context): void {
  if (ctx.quiet) return;
  const rows: [string, string][] = [];
  if (n.effective) rows.push(['Takes effect', `${n.effective}${n.timezone ? ` (${n.timezone})` : ''}`]);
  if (n.audience) rows.push(['Who is affected', n.audience]);
  if (n.customersWillSee) rows.push(['What customers will see', n.customersWillSee]);
  if (n.whatToSay) rows.push(['What to say', n.whatToSay]);
  for (const [id, text] of Object.entries(n.notes ?? {})) rows.push([`For ${map.parties.get(id)?.name ?? id}`, text]);
  for (const l of n.links ?? []) rows.push(['Link', `${l.title} (${l.url})`]);
  if (n.details) rows.push(['Details', n.details]);
  if (rows.length === 0) return void ctx.stderr.write(`${ctx.style.tick} The message says only the summary.\n`);
  ctx.stderr.write(`${ctx.style.tick} The message will say:\n`);
  for (const [label, value] of rows) ctx.stderr.write(`  ${ctx.style.bold(`${label}:`)} ${value.replace(/\n/g, '\n    ')}\n`);
}
