/** The report as CSV (RFC 4180): one row per recipient, then one per skipped party, then one per message of each amendment. */
import type { CloseReport } from './build.js';

export const CSV_COLUMNS = ['project', 'project_status', 'decided_by', 'summary', 'party', 'recipient', 'status', 'at', 'message_id', 'response', 'via', 'note', 'amendment'] as const;

export function csvField(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  // A spreadsheet runs a cell that starts like a formula (=HYPERLINK(...) in a skip reason):
  // the OWASP rule is to make it text with a leading single quote.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(r: CloseReport): string {
  const common = { project: r.project, project_status: r.status, decided_by: r.decided_by, summary: r.summary, amendment: undefined as string | undefined };
  const rows: Record<(typeof CSV_COLUMNS)[number], string | undefined>[] = [
    ...r.recipients.map((x) => ({ ...common, party: x.parties.join(';'), recipient: x.address, status: x.status, at: x.at, message_id: x.message_id, response: x.response, via: x.via, note: x.note })),
    ...r.skipped.map((s) => ({ ...common, party: s.party, recipient: undefined, status: 'skipped', at: undefined, message_id: undefined, response: undefined, via: undefined, note: s.reason })),
    // Then each amendment's messages, in order, numbered in the last column.
    ...r.amendments.flatMap((a) => a.recipients.map((x) => ({ ...common, summary: a.summary, party: x.parties.join(';'), recipient: x.address, status: x.status, at: x.at, message_id: x.message_id, response: x.response, via: x.via, note: x.note, amendment: String(a.number) }))),
  ];
  return [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => csvField(row[c])).join(','))].map((l) => `${l}\r\n`).join('');
}
