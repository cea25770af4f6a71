/** The report as Markdown, to paste into or attach to a change ticket. */
import type { CloseReport, ReportRecipient } from './build.js';
import type { ReportAmendment } from './amendments.js';

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
  const amending = r.amendments.find((a) => a.status === 'in progress');
  if (amending) out.push(`- **Status:** OPEN: amendment ${amending.number} (${amendmentTitle(amending).toLowerCase()}) is in progress since ${when(amending.at)}`);
  else if (r.status === 'closed' && r.cancelled) out.push(`- **Status:** CANCELLED on ${when(r.cancelled.at)} (${mdCell(r.cancelled.reason)}): everyone told was told it will not happen`);
  else if (r.status === 'closed') out.push(`- **Status:** CLOSED on ${when(r.closed_at)}: every affected party was told or skipped with a reason`);
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
  if (r.acks) out.push('', ...acknowledgements(r));
  if (r.skipped.length) out.push('', '## Skipped', '', ...table(['Party', 'Name', 'Reason'], r.skipped.map((s) => [mdCell(s.party), mdCell(s.name), mdCell(s.reason)])));
  if (r.deadlines?.length) out.push('', '## Deadlines', '', ...table(['Party', 'Tell by', 'Told (UTC)', 'Met', 'Accepted late because'], r.deadlines.map((d) => [mdCell(d.party), d.tell_by, when(d.told_at ?? undefined), d.met === true ? 'yes' : d.met === false ? 'no' : 'not yet', mdCell(d.accepted_reason ?? '')])));
  if (r.details) out.push('', '## Details', '', ...r.details.split('\n').map((l) => `> ${l}`));
  if (r.amendments.length) out.push('', '## Amendments', ...r.amendments.flatMap((a) => ['', ...amendmentSection(a)]));
  out.push('', `_From ${mdCell(r.log)}, generated ${when(r.generated_at)} by notify._`, '');
  return out.join('\n');
}

/** Parties that must acknowledge: one row per recipient, then the escalations. */
function acknowledgements(r: CloseReport): string[] {
  const rows: string[][] = [];
  const escalations: string[] = [];
  for (const p of r.acks ?? []) {
    const reminded = (who: string) => (p.reminded.includes(who) ? 'yes' : '');
    for (const a of p.acknowledged) rows.push([mdCell(p.party), mdCell(a.recipient), 'acknowledged', when(a.ts), reminded(a.recipient), mdCell(a.via === 'manual' ? `by ${a.by ?? 'hand'}: ${a.note ?? ''}` : a.excerpt ? `reply: "${a.excerpt}"` : 'reply')]);
    for (const w of p.waiting) rows.push([mdCell(p.party), mdCell(w), 'waiting', '', reminded(w), p.autoReplies.includes(w) ? 'automatic reply received' : '']);
    for (const b of p.bounced) rows.push([mdCell(p.party), mdCell(b.recipient), 'bounced', '', '', mdCell(`${b.status} ${b.diagnostic}`.trim())]);
    if (p.escalated.length) escalations.push(`- **Escalated** about ${mdCell(p.party)} to ${p.escalated.map(mdCell).join(', ')}`);
  }
  return ['## Acknowledgements', '', ...table(['Party', 'Recipient', 'Status', 'Acknowledged (UTC)', 'Reminded', 'Detail'], rows), ...(escalations.length ? ['', ...escalations] : [])];
}

function sentRow(x: ReportRecipient): string[] {
  return [mdCell(x.address), mdCell(x.parties.join(', ')), when(x.at), mdCode(x.message_id), mdCell(x.response), mdCell(x.via === 'manual' ? `by hand: ${x.note ?? ''}` : x.via)];
}

function amendmentTitle(a: ReportAmendment): string {
  if (a.kind === 'parties') return `Told ${a.parties.join(', ')}`;
  if (a.kind === 'cancel') return 'Cancellation to everyone told';
  return a.effective ? `Correction to everyone told, the date moved to ${a.effective}` : 'Correction to everyone told';
}

function amendmentSection(a: ReportAmendment<ReportRecipient>): string[] {
  const out = [`### ${a.number}. ${mdCell(amendmentTitle(a))}, ${when(a.at)}`, ''];
  out.push(`- **Decided by:** ${mdCell(a.decided_by ?? 'unknown')}`, `- **Reason:** ${mdCell(a.reason)}`);
  out.push(a.kind === 'correction' ? `- **Correction:** ${mdCell(a.summary)}` : `- **Summary sent:** ${mdCell(a.summary)}`);
  out.push(`- **Status:** ${a.status === 'done' ? `done; closed again on ${when(a.closed_at)}` : 'in progress: not every message is sent yet'}`);
  if (a.recipients.length) out.push('', ...table(['Recipient', 'Parties', 'Status', 'At (UTC)', 'Message-ID', 'Detail'], a.recipients.map((x) => [mdCell(x.address), mdCell(x.parties.join(', ')), x.status, when(x.at), mdCode(x.message_id), mdCell(x.status === 'sent' ? x.response : x.note)])));
  if (a.details) out.push('', ...a.details.split('\n').map((l) => `> ${l}`));
  return out;
}
