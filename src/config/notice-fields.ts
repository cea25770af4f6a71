/** The notice fields of a project (and of a plan): each bad value reported at its line. */
import { isMap, isSeq, type Node } from 'yaml';
import { knownTimeZone, linkUrlProblem, parseEffective, type NoticeFields, type NoticeLink } from '../domain/notice.js';
import { entries, str, type Entry } from './fields.js';
import type { YamlSource } from './yaml-source.js';

/** A reference to check once the whole map is read; `note` when it is the key of a note. */
export interface NoteRef {
  /** `effective`: a date and time, checked against the map's zone (`id` is the value). */
  kind: 'action' | 'party' | 'effective';
  id: string;
  node: Node;
  where: string;
  note?: boolean;
}

/** One of effective, audience, customers_will_see, what_to_say, notes, links, into `out`. */
export function noticeField(src: YamlSource, f: Entry, where: string, out: NoticeFields, refs: NoteRef[]): void {
  switch (f.name) {
    case 'effective': {
      // A date written bare (2027-01-04) is a string in YAML 1.2.
      const raw = str(src, f.value, `${where} effective`);
      if (raw === undefined) return;
      const parsed = parseEffective(raw);
      if ('problem' in parsed) src.error(f.value ?? undefined, `${where} effective: ${parsed.problem}`);
      else {
        out.effective = parsed.value;
        if (f.value) refs.push({ kind: 'effective', id: parsed.value, node: f.value, where });
      }
      return;
    }
    case 'audience':
      out.audience = str(src, f.value, `${where} audience`)?.trim();
      return;
    case 'customers_will_see':
      out.customersWillSee = str(src, f.value, `${where} customers_will_see`)?.trim();
      return;
    case 'what_to_say':
      out.whatToSay = str(src, f.value, `${where} what_to_say`)?.trim();
      return;
    case 'notes': {
      const notes: Record<string, string> = {};
      for (const n of entries(src, f.value, `${where} notes (party id: text)`)) {
        const text = str(src, n.value, `${where} note for "${n.name}"`);
        if (text === undefined) continue;
        refs.push({ kind: 'party', id: n.name, node: n.key, where, note: true });
        notes[n.name] = text.trim();
      }
      out.notes = notes;
      return;
    }
    case 'links':
      out.links = links(src, f.value, `${where} links`);
      return;
  }
}

export function links(src: YamlSource, node: Node | null, what: string): NoticeLink[] {
  if (!isSeq(node)) {
    src.error(node ?? undefined, `${what} must be a list of { title, url }`);
    return [];
  }
  const out: NoticeLink[] = [];
  for (const item of node.items as Node[]) {
    if (!isMap(item)) {
      src.error(item, `each entry of ${what} must be { title: "The FAQ", url: "https://..." }`);
      continue;
    }
    let title: string | undefined;
    let url: string | undefined;
    const fields = entries(src, item, `an entry of ${what}`, ['title', 'url']);
    for (const f of fields) {
      if (f.name === 'title') title = str(src, f.value, `${what} title`, { header: true })?.trim();
      else {
        url = str(src, f.value, `${what} url`)?.trim();
        const problem = url === undefined ? undefined : linkUrlProblem(url);
        if (problem) (src.error(f.value ?? undefined, `${what} url ${problem}`), (url = undefined));
      }
    }
    if (fields.length < 2 && !fields.some((f) => f.value === null)) src.error(item, `each entry of ${what} needs both title: and url:`);
    if (title !== undefined && url !== undefined) out.push({ title, url });
  }
  return out;
}

export function timezone(src: YamlSource, node: Node | null): string | undefined {
  const tz = str(src, node, 'timezone');
  if (tz === undefined) return undefined;
  const known = knownTimeZone(tz);
  if (!known) src.error(node ?? undefined, `timezone "${tz}" is not a time zone name such as "Europe/Paris" or "UTC"`);
  return known ? tz : undefined;
}
