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
  replyTo?: Address;
  messageId: string;
  date: Date;
  project: string;
  parties: string[];
  rendered: Rendered;
  /** Told in time: an iCalendar invitation (METHOD:REQUEST or CANCEL) for the effective date. */
  invite?: string;
}

/** What composeMessage refuses, checked on its own so a close can refuse it before recording anything. */
export function checkHeaders(m: Pick<ComposeInput, 'from' | 'to' | 'rendered'>): void {
  for (const [name, value] of [['Subject', m.rendered.subject], ['To', formatAddress(m.to)], ['From', formatAddress(m.from)]]) {
    if (/[\r\n]/.test(value)) throw new Error(`header ${name} contains a line break`);
  }
}

function inviteParts(ics: string) {
  const method = /^METHOD:(\w+)/m.exec(ics)?.[1] ?? 'REQUEST';
  return { icalEvent: { method, content: ics }, attachments: [{ filename: 'invite.ics', content: ics, contentType: 'application/ics' }] };
}

export async function composeMessage(m: ComposeInput): Promise<Buffer> {
  checkHeaders(m);
  const composer = new MailComposer({
    from: formatAddress(m.from),
    to: formatAddress(m.to),
    replyTo: m.replyTo ? formatAddress(m.replyTo) : undefined,
    subject: m.rendered.subject,
    text: m.rendered.text,
    html: m.rendered.html,
    messageId: m.messageId,
    date: m.date,
    baseBoundary: createHash('sha256').update(m.messageId).digest('hex').slice(0, 16),
    headers: {
      'X-Notify-Project': m.project,
      'X-Notify-Parties': m.parties.join(', '),
      'Auto-Submitted': 'auto-generated',
    },
    // Told in time: the invitation as a text/calendar alternative, and as invite.ics for clients that want a file.
    ...(m.invite ? inviteParts(m.invite) : {}),
  });
  const node = composer.compile();
  node.keepBcc = false;
  // MailComposer keeps the text's bare LFs inside quoted-printable parts; SMTP turns them into
  // CRLF on the wire. Normalise here so the bytes built are the bytes sent, saved or previewed.
  // Every byte is 7-bit by now (encoded words, quoted-printable, base64), so latin1 is lossless.
  return Buffer.from((await node.build()).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}
