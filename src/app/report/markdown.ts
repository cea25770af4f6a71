/** The report as Markdown, to paste into or attach to a change ticket. */
import type { CloseReport, ReportRecipient } from './build.js';

/** One table cell: no line breaks, pipes escaped, no raw HTML. */
export function mdCell(text: string | undefined): string {
  return (text ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A Message-ID as code, so <...> shows as written. */
export function mdCode(text: string | undefined): string {
  return text ? `\`${text.replace(/`/g, '').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')}\`` : '';
}

const when = (ts?: string) => (ts ? `${ts.slice(0, 19).replace('T', ' ')} UTC` : '');

/** Rows hold finished cells (mdCell or mdCode). */
function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function reportMarkdown(r: CloseReport): string {
  const out: string[] = [`# Close-out report: ${mdCell(r.project)}${r.title ? ` (${mdCell(r.title)})` : ''}`, ''];
  const notTold = r.parties.filter((p) => p.status !== 'told' && p.status !== 'skipped');
  if (r.status === 'closed') out.push(`- **Status:** CLOSED on ${when(r.closed_at)}: every affected party was told or skipped with a reason`);
  else if (!r.decided) out.push('- **Status:** OPEN: the close has not started; nobody has been told yet');
  else out.push(`- **Status:** OPEN: ${notTold.length} part${notTold.length === 1 ? 'y is' : 'ies are'} not told yet (${notTold.map((p) => p.id).join(', ')})`);
  if (r.decided) out.push(`- **Decided by:** ${mdCell(r.decided_by ?? 'unknown')} on ${when(r.decided_at)}`);
  if (r.summary) out.push(`- **Summary:** ${mdCell(r.summary)}`);
  if (r.actions.length) out.push(`- **Actions:** ${r.actions.map((a) => (a.description ? `${mdCell(a.id)} (${mdCell(a.description)})` : mdCell(a.id))).join('; ')}`);
  out.push(`- **Parties:** ${r.counts.told} told, ${r.counts.skipped} skipped, ${r.counts.not_told} not told`);
  const sent = r.recipients.filter((x) => x.status === 'sent');
  const notSent = r.recipients.filter((x) => x.status !== 'sent');
  if (sent.length) out.push('', '## Told', '', ...table(['Recipient', 'Parties', 'Sent (UTC)', 'Message-ID', 'Response', 'Via'], sent.map(sentRow)));
  if (notSent.length) out.push('', '## Not told yet', '', ...table(['Recipient', 'Parties', 'Status', 'Last outcome (UTC)', 'Message-ID', 'Detail'], notSent.map((x) => [mdCell(x.address), mdCell(x.parties.join(', ')), x.status, when(x.at), mdCode(x.message_id), mdCell(x.note)])));
  if (r.skipped.length) out.push('', '## Skipped', '', ...table(['Party', 'Name', 'Reason'], r.skipped.map((s) => [mdCell(s.party), mdCell(s.name), mdCell(s.reason)])));
  if (r.deadlines?.length) out.push('', '## Deadlines', '', ...table(['Party', 'Tell by', 'Told (UTC)', 'Met', 'Accepted late because'], r.deadlines.map((d) => [mdCell(d.party), d.tell_by, when(d.told_at ?? undefined), d.met === true ? 'yes' : d.met === false ? 'no' : 'not yet', mdCell(d.accepted_reason ?? '')])));
  if (r.details) out.push('', '## Details', '', ...r.details.split('\n').map((l) => `> ${l}`));
  out.push('', `_From ${mdCell(r.log)}, generated ${when(r.generated_at)} by notify._`, '');
  return out.join('\n');
}

function sentRow(x: ReportRecipient): string[] {
  return [mdCell(x.address), mdCell(x.parties.join(', ')), when(x.at), mdCode(x.message_id), mdCell(x.response), mdCell(x.via === 'manual' ? `by hand: ${x.note ?? ''}` : x.via)];
}
