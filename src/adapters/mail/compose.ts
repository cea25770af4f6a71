/**
 * Build the exact bytes of one notification. The close, the dry run and the preview all send
 * or show these bytes; boundaries derive from the Message-ID so the same message is the same
 * bytes every time it is built.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { formatAddress, type Address } from '../../domain/address.js';
import type { Rendered } from '../../domain/render.js';

export interface ComposeInput {
  from: Address;
  to: Address;
  /** Several for a party that must acknowledge: the owner and the replies mailbox. */
  replyTo?: Address | Address[];
  messageId: string;
  /** Threading: the Message-ID this message answers (a correction's original, a reminder's notification); In-Reply-To and References. */
  inReplyTo?: string;
  date: Date;
  project: string;
  parties: string[];
  rendered: Rendered;
}

/** What composeMessage refuses, checked on its own so a close can refuse it before recording anything. */
export function checkHeaders(m: Pick<ComposeInput, 'from' | 'to' | 'rendered'>): void {
  for (const [name, value] of [['Subject', m.rendered.subject], ['To', formatAddress(m.to)], ['From', formatAddress(m.from)]]) {
    if (/[\r\n]/.test(value)) throw new Error(`header ${name} contains a line break`);
  }
}

export async function composeMessage(m: ComposeInput): Promise<Buffer> {
  checkHeaders(m);
  const composer = new MailComposer({
    from: formatAddress(m.from),
    to: formatAddress(m.to),
    replyTo: m.replyTo ? [m.replyTo].flat().map(formatAddress).join(', ') : undefined,
    inReplyTo: m.inReplyTo,
    references: m.inReplyTo,
    subject: m.rendered.subject,
    text: m.rendered.text,
    html: m.rendered.html,
    messageId: m.messageId,
    ...(m.inReplyTo ? { inReplyTo: m.inReplyTo, references: m.inReplyTo } : {}),
    date: m.date,
    baseBoundary: createHash('sha256').update(m.messageId).digest('hex').slice(0, 16),
    headers: {
      'X-Notify-Project': m.project,
      'X-Notify-Parties': m.parties.join(', '),
      'Auto-Submitted': 'auto-generated',
    },
  });
  const node = composer.compile();
  node.keepBcc = false;
  // MailComposer keeps the text's bare LFs inside quoted-printable parts; SMTP turns them into
  // CRLF on the wire. Normalise here so the bytes built are the bytes sent, saved or previewed.
  // Every byte is 7-bit by now (encoded words, quoted-printable, base64), so latin1 is lossless.
  return Buffer.from((await node.build()).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}
