/**
 * What a close says beyond its summary, as fields: when it takes effect, who sees it outside,
 * what they will see, what to answer them, a note per party, links. The same names in the map
 * (projects.<id>.*), a plan's front matter, the close.planned event and the flags.
 */

export interface NoticeLink {
  title: string;
  url: string;
}

export interface NoticeFields {
  /** "2027-01-02" or "2027-01-02 09:00": a wall-clock date (and time) in `timezone`. */
  effective?: string;
  /** The IANA time zone `effective` is in, fixed when the close is decided. */
  timezone?: string;
  audience?: string;
  customersWillSee?: string;
  whatToSay?: string;
  /** Party id to what the close means for that party. */
  notes?: Record<string, string>;
  links?: NoticeLink[];
}

export const NOTICE_KEYS = ['effective', 'audience', 'customers_will_see', 'what_to_say', 'notes', 'links'] as const;

const EFFECTIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$/;

/** The written form kept in the log and the plans, or a one-line reason it is not a date. */
export function parseEffective(value: string): { value: string } | { problem: string } {
  const m = EFFECTIVE.exec(value.trim());
  const problem = `"${value}" is not a date such as 2027-01-02, or a date and time such as "2027-01-02 09:00"`;
  if (!m) return { problem };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return { problem: `"${value}" is not a day of the calendar` };
  if (m[4] === undefined) return { value: `${m[1]}-${m[2]}-${m[3]}` };
  if (Number(m[4]) > 23 || Number(m[5]) > 59) return { problem: `"${value}": the time is not between 00:00 and 23:59` };
  return { value: `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` };
}

/** The wall-clock parts of an effective value already parsed. */
export function effectiveParts(value: string): { y: number; mo: number; d: number; time?: { h: number; mi: number } } {
  const m = EFFECTIVE.exec(value)!;
  const base = { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]) };
  return m[4] === undefined ? base : { ...base, time: { h: Number(m[4]), mi: Number(m[5]) } };
}

/** The time zone's name if the platform knows it, else undefined. */
export function knownTimeZone(tz: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The instant a wall-clock time in `tz` stands for (the start of the day for a date alone). */
export function effectiveInstant(value: string, tz: string | undefined): Date {
  const p = effectiveParts(value);
  const wall = Date.UTC(p.y, p.mo - 1, p.d, p.time?.h ?? 0, p.time?.mi ?? 0);
  if (!tz) return new Date(wall);
  // The zone's offset at the guess, then once more at the result (a change of offset in between).
  let t = wall - offsetAt(wall, tz);
  t = wall - offsetAt(t, tz);
  return new Date(t);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function offsetAt(t: number, tz: string): number {
  let f = offsetFormats.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      return 0;
    }
    offsetFormats.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The wall-clock day of an instant in `tz`, as YYYY-MM-DD: what "today" is for the map. */
export function dayIn(date: Date, tz: string | undefined): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
  return f.format(date);
}

const LINK_URL = /(?:https?:\/\/|mailto:)\S+$/i;

/** A link's address, if it is one a reader can follow (http, https or mailto). */
export function linkUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a web address (https://...)`;
  }
  if (!['http:', 'https:', 'mailto:'].includes(parsed.protocol)) return `"${url}" must start with https://, http:// or mailto:`;
  if (/\s/.test(url)) return `"${url}" contains a space; write it as %20`;
  return undefined;
}

/**
 * `--link "Title=https://..."`: the title before the first "=" that is followed by the address.
 * A line from the editor ("- The FAQ: https://...", "[The FAQ](https://...)") reads the same way.
 */
export function parseLink(text: string): NoticeLink | { problem: string } {
  const md = /^\s*(?:[-*]\s+)?\[([^\]]+)\]\(([^)\s]+)\)\s*$/.exec(text);
  let title: string;
  let url: string;
  if (md) [title, url] = [md[1], md[2]];
  else {
    const eq = text.indexOf('=');
    const m = LINK_URL.exec(text);
    if (eq > 0 && /^\s*(?:https?:|mailto:)/i.test(text.slice(eq + 1))) {
      [title, url] = [text.slice(0, eq), text.slice(eq + 1)];
    } else if (m) {
      [title, url] = [text.slice(0, m.index), m[0]];
    } else return { problem: `"${text}" has no address: write "Title=https://..."` };
  }
  title = title.replace(/^\s*[-*]\s+/, '').replace(/[\s:=—–-]+$/, '').trim();
  url = url.trim();
  const problem = linkUrlProblem(url);
  if (problem) return { problem };
  if (!title) return { problem: `"${text}" has no title: write "Title=${url}"` };
  if (/[\r\n]/.test(title)) return { problem: `the title of ${url} must be one line` };
  return { title, url };
}

/** `--note PARTY=TEXT`: the party before the first "=". */
export function splitNote(text: string): { party: string; text: string } {
  const eq = text.indexOf('=');
  return { party: (eq < 0 ? text : text.slice(0, eq)).trim(), text: eq < 0 ? '' : text.slice(eq + 1).trim() };
}

/** The fields given, without the empty ones: what a decision records. */
export function compactNotice(n: NoticeFields): NoticeFields {
  const out: NoticeFields = {};
  if (n.effective) out.effective = n.effective;
  if (n.effective && n.timezone) out.timezone = n.timezone;
  const text = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
  if (text(n.audience)) out.audience = text(n.audience);
  if (text(n.customersWillSee)) out.customersWillSee = text(n.customersWillSee);
  if (text(n.whatToSay)) out.whatToSay = text(n.whatToSay);
  const notes = Object.entries(n.notes ?? {}).filter(([, v]) => v.trim());
  if (notes.length) out.notes = Object.fromEntries(notes.map(([k, v]) => [k, v.trim()]));
  if (n.links?.length) out.links = n.links.map((l) => ({ title: l.title, url: l.url }));
  return out;
}

/** The notice fields of two decisions that differ, by their map names. */
export function noticeDiffers(a: NoticeFields, b: NoticeFields): string[] {
  const out: string[] = [];
  if ((a.effective ?? '') !== (b.effective ?? '')) out.push('effective');
  if ((a.audience ?? '') !== (b.audience ?? '')) out.push('audience');
  if ((a.customersWillSee ?? '') !== (b.customersWillSee ?? '')) out.push('customers_will_see');
  if ((a.whatToSay ?? '') !== (b.whatToSay ?? '')) out.push('what_to_say');
  if (JSON.stringify(sorted(a.notes ?? {})) !== JSON.stringify(sorted(b.notes ?? {}))) out.push('notes');
  if (JSON.stringify(a.links ?? []) !== JSON.stringify(b.links ?? [])) out.push('links');
  return out;
}

const sorted = (o: Record<string, string>) => Object.entries(o).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));

/** The fields as the close.planned event and a plan's front matter spell them. */
export interface NoticeRecord {
  effective?: string;
  timezone?: string;
  audience?: string;
  customers_will_see?: string;
  what_to_say?: string;
  notes?: Record<string, string>;
  links?: NoticeLink[];
}

export function noticeRecord(n: NoticeFields): NoticeRecord {
  const c = compactNotice(n);
  return { effective: c.effective, timezone: c.timezone, audience: c.audience, customers_will_see: c.customersWillSee, what_to_say: c.whatToSay, notes: c.notes, links: c.links };
}

export function noticeFromRecord(r: NoticeRecord): NoticeFields {
  return compactNotice({ effective: r.effective, timezone: r.timezone, audience: r.audience, customersWillSee: r.customers_will_see, whatToSay: r.what_to_say, notes: r.notes, links: r.links });
}
