/**
 * What a message read from the replies mailbox is: a bounce report, an automatic reply, or a
 * person's reply; and which notification it answers. Pure: the IMAP adapter parses the bytes
 * into an InboundMessage, this decides.
 */

export interface DsnRecipient {
  recipient: string;
  action: string;
  status: string;
  diagnostic: string;
}

export interface InboundMessage {
  messageId?: string;
  /** Message-IDs of In-Reply-To then References, each with its angle brackets. */
  thread: string[];
  subject: string;
  /** Header names lower-cased; the first value of each. */
  headers: Map<string, string>;
  /** Set for a multipart/report; report-type=delivery-status. */
  report?: { recipients: DsnRecipient[]; originalIds: string[] };
}

/** Why a message is an automatic reply (a header or its subject), or undefined for a person's. */
export function automaticReason(m: InboundMessage): string | undefined {
  const h = m.headers;
  const auto = h.get('auto-submitted');
  if (auto !== undefined && auto.split(';')[0].trim().toLowerCase() !== 'no') return `Auto-Submitted: ${auto.trim()}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress']) {
    // X-Auto-Response-Suppress is set by Outlook on its own automatic replies, among others.
    if (h.has(name) && (name !== 'x-auto-response-suppress' || /\b(?:all|oof|autoreply)\b/i.test(h.get(name) ?? ''))) return `${headerName(name)}: ${(h.get(name) ?? '').trim()}`;
  }
  const precedence = h.get('precedence')?.trim().toLowerCase();
  if (precedence === 'auto_reply' || precedence === 'bulk' || precedence === 'junk') return `Precedence: ${precedence}`;
  if (OUT_OF_OFFICE.test(m.subject.trim())) return `out-of-office subject "${m.subject.trim()}"`;
  return undefined;
}

/** Subjects of automatic replies in English and French (Outlook, Gmail, Exchange, Zimbra, ...). */
const OUT_OF_OFFICE = /^(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|out of (?:the )?office|ooo\b|away from (?:the )?office|i am out of the office|réponse automatique|reponse automatique|réponse auto|absent(?:e)?(?: du bureau)?\b|absence(?: du bureau)?\b|message d'absence|je suis absent)/i;

function headerName(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The recipients a bounce report says failed ("Action: failed"); delayed or delivered ones are not bounces. */
export function failedRecipients(m: InboundMessage): DsnRecipient[] {
  return (m.report?.recipients ?? []).filter((r) => r.action.toLowerCase() === 'failed');
}

/** The fields of a message/delivery-status body: the per-message block, then one per recipient. */
export function parseDeliveryStatus(text: string): DsnRecipient[] {
  const blocks = text.replace(/\r\n/g, '\n').split(/\n\s*\n/);
  const out: DsnRecipient[] = [];
  for (const block of blocks) {
    const fields = new Map<string, string>();
    // Continuation lines (a long Diagnostic-Code) are folded back onto their field.
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const who = fields.get('final-recipient') ?? fields.get('original-recipient');
    if (!who) continue;
    out.push({
      recipient: stripType(who),
      action: fields.get('action') ?? '',
      status: fields.get('status') ?? '',
      diagnostic: stripType(fields.get('diagnostic-code') ?? '').replace(/\s+/g, ' '),
    });
  }
  return out;
}

/** "rfc822; a@b" -> "a@b", "smtp; 550 ..." -> "550 ..." */
function stripType(v: string): string {
  const semi = v.indexOf(';');
  return (semi >= 0 ? v.slice(semi + 1) : v).trim().replace(/^<(.*)>$/, '$1');
}

/** Every <id> in a header value (In-Reply-To, References, Message-ID). */
export function messageIds(value: string | undefined): string[] {
  return value ? (value.match(/<[^<>\s]+>/g) ?? []) : [];
}

/**
 * The reply's own words: the first non-empty lines of the text with the quoted history already
 * removed, on one line, at most `max` characters.
 */
export function excerptOf(visible: string, max = 200): string {
  const lines = visible
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('>'));
  const text = lines.slice(0, 3).join(' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
