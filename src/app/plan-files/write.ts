/** A plan as text: the decisions as YAML front matter, the details as the Markdown body. */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Decisions } from '../../domain/deliveries.js';
import { noticeRecord } from '../../domain/notice.js';

const scalar = (v: string) => stringify(v, { lineWidth: 0 }).trimEnd();

/**
 * `reasons` become comments beside each party, for whoever reviews the plan. A `draft` holds the
 * answers of a cancelled close: marked so, so that nothing sends it as a reviewed decision.
 */
export function renderPlan(d: Decisions, reasons: Map<string, string[]> = new Map(), o: { draft?: boolean } = {}): string {
  const out = ['---'];
  if (o.draft) {
    out.push(
      `# A draft: the answers of a close of ${d.project} that was cancelled before anything was sent.`,
      `# "notify close ${d.project}" on a terminal asks its questions again with these answers filled in.`,
      '# To make it the plan a close sends as it stands, review it and delete the draft line.',
      'draft: true',
    );
  } else {
    out.push(
      `# The close of ${d.project}, decided ahead: review it in the pull request.`,
      `# "notify close ${d.project}" sends exactly this. Every party a rule selects is listed under`,
      '# parties, or under skipped with the reason it need not be told.',
    );
  }
  out.push(`project: ${scalar(d.project)}`);
  if (d.title) out.push(`title: ${scalar(d.title)}`);
  out.push(d.actions.length ? `actions: [${d.actions.map(scalar).join(', ')}]` : 'actions: []');
  out.push('parties:');
  for (const p of d.parties) {
    const why = reasons.get(p) ?? [];
    out.push(`  - ${scalar(p)}${why.length ? ` # ${why.join('; ').replace(/[\r\n]+/g, ' ')}` : ''}`);
  }
  if (d.skipped.length === 0) out.push('skipped: []');
  else {
    out.push('skipped:');
    for (const s of d.skipped) out.push(`  - party: ${scalar(s.party)}`, `    reason: ${scalar(s.reason)}`);
  }
  out.push(`summary: ${scalar(d.summary)}`);
  out.push(...noticeLines(d));
  if (d.decidedBy) out.push(`decided_by: ${scalar(d.decidedBy)}`);
  out.push('---', '');
  if (d.details) out.push(d.details.trim(), '');
  return out.join('\n');
}

/** The notice fields, each only when given, as YAML writes them (text over several lines as a block). */
function noticeLines(d: Decisions): string[] {
  const r = noticeRecord(d);
  const fields = { effective: r.effective, audience: r.audience, customers_will_see: r.customers_will_see, what_to_say: r.what_to_say, notes: r.notes, links: r.links };
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return Object.keys(given).length ? stringify(given, { lineWidth: 0 }).trimEnd().split('\n') : [];
}

/** Write atomically (temp file, then rename) so a reader never sees half a plan. */
export function writePlan(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
