/**
 * Read a plan and hold it to the map: unknown parties or actions, a missing always-informed
 * party, or a selected party neither listed nor skipped, are errors with the plan's file:line.
 */
import fs from 'node:fs';
import { isMap, isSeq, type Node } from 'yaml';
import type { StakeholderMap } from '../../domain/map.js';
import type { Decisions } from '../../domain/deliveries.js';
import { selectParties } from '../../domain/select.js';
import { didYouMean } from '../../domain/slug.js';
import { ConfigError, type Diagnostic } from '../../errors.js';
import { bool, entries, str, strList } from '../../config/fields.js';
import { YamlSource } from '../../config/yaml-source.js';
import { planPath } from './file.js';
import { compactNotice, NOTICE_KEYS, type NoticeFields } from '../../domain/notice.js';
import { noticeField, type NoteRef } from '../../config/notice-fields.js';
import { skippedTime, timeZoneOf } from '../../domain/effective.js';

export const PLAN_KEYS = ['draft', 'project', 'title', 'actions', 'parties', 'skipped', 'summary', ...NOTICE_KEYS, 'decided_by'] as const;

export interface Plan {
  decisions: Decisions;
  file: string;
  /**
   * `draft: true`: the answers of a close cancelled at its confirmation, which nobody reviewed.
   * A close asks its questions again from them; it never sends a draft as it stands.
   */
  draft: boolean;
}

export function parsePlan(text: string, file: string, shown: string, map: StakeholderMap, project: string): { plan?: Plan; diagnostics: Diagnostic[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (!/^---\s*$/.test(lines[0] ?? '') || end < 0) {
    return { diagnostics: [{ file: shown, line: 1, col: 1, message: 'a plan starts with its decisions between two "---" lines (YAML front matter); run notify plan to write one', severity: 'error' }] };
  }
  const src = new YamlSource(file, shown, lines.slice(1, end).join('\n'), 1);
  if (!src.doc || !src.ok) return { diagnostics: src.diagnostics };
  const top = { line: 0, col: 1 };
  const d: Partial<Decisions> & { actions: string[]; parties: string[]; skipped: Decisions['skipped'] } = { actions: [], parties: [], skipped: [] };
  let partiesNode: Node | undefined;
  const notice: NoticeFields = {};
  const noteRefs: NoteRef[] = [];
  let draft = false;
  for (const e of entries(src, src.doc.contents, 'the plan', PLAN_KEYS)) {
    switch (e.name) {
      case 'draft':
        draft = bool(src, e.value, 'draft') ?? false;
        if (draft) src.warn(e.key, `a draft, not reviewed: the answers of a close of ${project} that was cancelled before sending; "notify close ${project}" on a terminal asks again from them. Once reviewed, delete this line to make it the plan`);
        break;
      case 'project': {
        const id = str(src, e.value, 'project');
        if (id !== undefined && id !== project) src.error(e.value, `project "${id}" does not match the file name ${project}.md; fix the id or rename the file`);
        d.project = project;
        break;
      }
      case 'title':
        d.title = str(src, e.value, 'title', { header: true });
        break;
      case 'summary':
        d.summary = str(src, e.value, 'summary', { header: true });
        break;
      case 'decided_by':
        d.decidedBy = str(src, e.value, 'decided_by', { header: true });
        break;
      case 'actions':
        for (const a of strList(src, e.value, 'actions')) {
          if (!map.actions.has(a.value)) src.error(a.node, `unknown action "${a.value}"${didYouMean(a.value, map.actions.keys())}; the map's actions: ${[...map.actions.keys()].join(', ') || '(none)'}`);
          else if (!d.actions.includes(a.value)) d.actions.push(a.value);
        }
        break;
      case 'parties':
        partiesNode = e.key;
        for (const p of strList(src, e.value, 'parties')) {
          if (!map.parties.has(p.value)) src.error(p.node, `unknown party "${p.value}"${didYouMean(p.value, map.parties.keys())}`);
          else if (!d.parties.includes(p.value)) d.parties.push(p.value);
        }
        break;
      case 'skipped':
        readSkipped(src, e.value, map, d.skipped);
        break;
      default:
        noticeField(src, e, 'the plan', notice, noteRefs);
    }
  }
  for (const r of noteRefs) {
    if (r.kind === 'effective') {
      const skipped = skippedTime(r.id, timeZoneOf(map));
      if (skipped) src.error(r.node, `effective: ${skipped}`);
    } else if (!map.parties.has(r.id)) src.error(r.node, `a note for unknown party "${r.id}"${didYouMean(r.id, map.parties.keys())}`);
    else if (partiesNode !== undefined && !d.parties.includes(r.id)) src.error(r.node, `a note for "${r.id}", which the plan does not tell: add it under parties, or remove the note`);
  }
  if (d.project === undefined) src.at(top, `missing "project: ${project}"`);
  if (d.summary === undefined && src.ok) src.at(top, 'missing "summary:", the one line that goes into every message');
  if (partiesNode === undefined) src.at(top, 'missing "parties:", the parties to tell');
  else if (src.ok) checkCoverage(src, partiesNode, map, project, d);
  // In file order, so the list reads top to bottom beside the plan.
  src.diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
  if (!src.ok) return { diagnostics: src.diagnostics };
  const order = [...map.parties.keys()];
  d.parties.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const body = lines.slice(end + 1).join('\n').trim();
  const fields = compactNotice({ ...notice, timezone: timeZoneOf(map) });
  return { plan: { file, draft, decisions: { ...(d as Decisions), ...fields, details: body || undefined } }, diagnostics: src.diagnostics };
}

function readSkipped(src: YamlSource, node: Node | null, map: StakeholderMap, out: Decisions['skipped']): void {
  if (!isSeq(node)) {
    src.error(node ?? undefined, 'skipped must be a list of { party, reason }, or []');
    return;
  }
  for (const item of node.items as Node[]) {
    if (!isMap(item)) {
      src.error(item, 'each entry of skipped must be { party: ID, reason: "why they need not be told" }');
      continue;
    }
    let party: string | undefined;
    let reason: string | undefined;
    let partyNode: Node | undefined;
    const fields = entries(src, item, 'a skipped entry', ['party', 'reason']);
    for (const f of fields) {
      if (f.name === 'party') (party = str(src, f.value, 'skipped party')), (partyNode = f.value ?? undefined);
      else reason = str(src, f.value, 'skipped reason', { header: true });
    }
    if (fields.length < 2) src.error(item, 'each entry of skipped needs both party: and reason:');
    if (party === undefined || reason === undefined) continue;
    const p = map.parties.get(party);
    if (!p) src.error(partyNode, `unknown party "${party}"${didYouMean(party, map.parties.keys())}`);
    else if (p.always) src.error(partyNode, `"${p.name}" (${party}) is informed of every closure and cannot be skipped; move it under parties`);
    else out.push({ party, reason });
  }
}

function checkCoverage(src: YamlSource, at: Node, map: StakeholderMap, project: string, d: { actions: string[]; parties: string[]; skipped: Decisions['skipped'] }): void {
  const skipped = new Set(d.skipped.map((s) => s.party));
  for (const id of d.parties) if (skipped.has(id)) src.error(at, `party "${id}" is both under parties and under skipped; keep one`);
  if (d.parties.length === 0) src.error(at, 'parties is empty: nobody would be told');
  for (const s of selectParties(map, { project, actions: d.actions })) {
    if (d.parties.includes(s.party.id) || skipped.has(s.party.id)) continue;
    if (s.group === 'always') src.error(at, `the plan leaves out "${s.party.id}" (${s.party.name}), who is informed of every closure: add it under parties`);
    else if (s.group === 'suggested') src.error(at, `the plan leaves out "${s.party.id}" (${s.reasons.join('; ')}): add it under parties, or under skipped with a reason`);
  }
}

/** The plan of a project, or undefined when it has none; a bad plan is a ConfigError (exit 2). */
export function loadPlan(map: StakeholderMap, project: string, shownAs: (file: string) => string): Plan | undefined {
  const file = planPath(map, project);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError([{ file: shownAs(file), line: 1, col: 1, message: `cannot read the plan (${(err as NodeJS.ErrnoException).code})`, severity: 'error' }]);
  }
  const { plan, diagnostics } = parsePlan(text, file, shownAs(file), map, project);
  const errors = diagnostics.filter((x) => x.severity === 'error');
  if (!plan || errors.length > 0) throw new ConfigError(errors, 'fix the plan (or delete it and run notify plan again); nothing was sent');
  return plan;
}
