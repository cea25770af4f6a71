/**
 * The text the editor opens on when a close is decided interactively: one heading per field, in
 * the user's language, each with a one-line hint. What comes back is split into the fields:
 * hints removed, empty sections left out, any heading of one's own kept in the details.
 */
import { didYouMean } from './slug.js';
import { parseLink, type NoticeFields, type NoticeLink } from './notice.js';

type Field = 'audience' | 'customersWillSee' | 'whatToSay' | 'links' | 'details';

interface Labels {
  intro: string;
  headings: Record<Field, string>;
  hints: Record<Field, string>;
  note: (name: string, id: string) => string;
  noteWord: string;
  noteHint: string;
}

const LABELS: Record<'en' | 'fr', Labels> = {
  en: {
    intro: 'Write under each heading what the message should say. Leave a section empty to leave it out; lines like this one are removed.',
    headings: { audience: 'Who is affected', customersWillSee: 'What customers will see', whatToSay: 'What to say', links: 'Links', details: 'Details' },
    hints: {
      audience: 'Who sees the change outside, e.g. "40,000 customers and prospects with an e-mail address".',
      customersWillSee: 'What they will see, receive or ask about.',
      whatToSay: 'The answer an adviser can read out to a customer, as it should be said.',
      links: 'One per line: - Title: https://...',
      details: 'Anything else, in Markdown.',
    },
    note: (name, id) => `For ${name} (${id})`,
    noteWord: 'For',
    noteHint: 'What it means for this team, and what it should do.',
  },
  fr: {
    intro: 'Écrivez sous chaque titre ce que le message doit dire. Une partie laissée vide n’apparaît pas ; les lignes comme celle-ci sont retirées.',
    headings: { audience: 'Qui est concerné', customersWillSee: 'Ce que verront les clients', whatToSay: 'Que leur répondre', links: 'Liens', details: 'Détails' },
    hints: {
      audience: 'Qui voit le changement à l’extérieur, par exemple « 40 000 clients et prospects ayant une adresse e-mail ».',
      customersWillSee: 'Ce qu’ils verront, recevront ou demanderont.',
      whatToSay: 'La réponse qu’un conseiller peut lire telle quelle à un client.',
      links: 'Un par ligne : - Titre : https://...',
      details: 'Tout le reste, en Markdown.',
    },
    note: (name, id) => `Pour ${name} (${id})`,
    noteWord: 'Pour',
    noteHint: 'Ce que cela change pour cette équipe, et ce qu’elle doit faire.',
  },
};

function labelsFor(locale: string): Labels {
  return /^fr\b/i.test(locale) ? LABELS.fr : LABELS.en;
}

export interface SkeletonParty {
  id: string;
  name: string;
}

export interface NoticeAnswers extends NoticeFields {
  details?: string;
}

const hint = (text: string) => `<!-- ${text} -->`;

export function noticeSkeleton(locale: string, parties: SkeletonParty[], given: NoticeAnswers = {}): string {
  const l = labelsFor(locale);
  const out = [hint(l.intro), ''];
  const section = (heading: string, hintText: string, value: string | undefined) => out.push(`## ${heading}`, hint(hintText), ...(value ? [value] : []), '');
  section(l.headings.audience, l.hints.audience, given.audience);
  section(l.headings.customersWillSee, l.hints.customersWillSee, given.customersWillSee);
  section(l.headings.whatToSay, l.hints.whatToSay, given.whatToSay);
  for (const p of parties) section(l.note(p.name, p.id), l.noteHint, given.notes?.[p.id]);
  section(l.headings.links, l.hints.links, given.links?.map((k) => `- ${k.title}: ${k.url}`).join('\n'));
  section(l.headings.details, l.hints.details, given.details);
  return out.join('\n');
}

/** The fields written in the editor, or the problems found (each one line). */
export function parseNoticeText(text: string, parties: SkeletonParty[]): { answers: NoticeAnswers; problems: string[] } {
  const known = new Map<string, Field>();
  for (const l of Object.values(LABELS)) for (const [field, heading] of Object.entries(l.headings)) known.set(norm(heading), field as Field);
  const noteWords = Object.values(LABELS).map((l) => l.noteWord.toLowerCase());
  const answers: NoticeAnswers = {};
  const problems: string[] = [];
  const details: string[] = [];
  const notes: Record<string, string> = {};
  const links: NoticeLink[] = [];
  const ids = new Set(parties.map((p) => p.id));
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const sections: { heading?: string; lines: string[] }[] = [{ lines: [] }];
  for (const line of body.split(/\r?\n/)) {
    const h = /^##\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) sections.push({ heading: h[1], lines: [] });
    else sections[sections.length - 1].lines.push(line);
  }
  for (const s of sections) {
    const value = s.lines.join('\n').trim();
    if (s.heading === undefined) {
      if (value) details.push(value);
      continue;
    }
    const field = known.get(norm(s.heading));
    const note = /^(\S+)\s+.*\(([^()]+)\)$/.exec(s.heading);
    if (field === undefined && note && noteWords.includes(note[1].toLowerCase())) {
      const id = note[2].trim();
      if (!ids.has(id)) problems.push(`"## ${s.heading}": no party "${id}" is told in this close${didYouMean(id, ids)}`);
      else if (value) notes[id] = value;
      continue;
    }
    if (!value) continue;
    if (field === undefined || field === 'details') details.push(field === undefined ? `## ${s.heading}\n\n${value}` : value);
    else if (field === 'links') {
      for (const line of value.split('\n').filter((x) => x.trim())) {
        const link = parseLink(line);
        if ('problem' in link) problems.push(`links: ${link.problem}`);
        else links.push(link);
      }
    } else answers[field] = value;
  }
  if (Object.keys(notes).length) answers.notes = notes;
  if (links.length) answers.links = links;
  if (details.length) answers.details = details.join('\n\n');
  return { answers, problems };
}

const norm = (s: string) => s.trim().toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ');
