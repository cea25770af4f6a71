/**
 * Build the exact bytes of one notification. The close, the dry run and the preview all send
 * or show these bytes; boundaries derive from the Message-ID so the same message is the same
 * bytes every time it is built.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { formatAddress, type Address } from '../../domain/address.js';
import type { Rendered } from '../../domain/render.js';
import { buildMime } from './compose-mime.js';

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
  const node = compile(m);
  const built = buildMime(node);
  return built === undefined ? normalized((await node.build()).toString('latin1'), 'latin1') : normalized(built, 'utf8');
}

/** composeMessage without a stream: undefined for the rare message only nodemailer's streamed build can make. */
export function composeMessageSync(m: ComposeInput): Buffer | undefined {
  const built = buildMime(compile(m));
  return built === undefined ? undefined : normalized(built, 'utf8');
}

function compile(m: ComposeInput): ReturnType<MailComposer['compile']> {
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
    // Told in time: the invitation as a text/calendar alternative, and as invite.ics for clients that want a file.
    ...(m.invite ? inviteParts(m.invite) : {}),
  });
  const node = composer.compile();
  node.keepBcc = false;
  return node;
}

/**
 * MailComposer keeps the text's bare LFs inside quoted-printable parts; SMTP turns them into
 * CRLF on the wire. Normalise here so the bytes built are the bytes sent, saved or previewed.
 * Built by nodemailer's stream, the message is bytes read as latin1 (lossless); built in one
 * pass, it is the characters the stream would have written as UTF-8. Either way CR and LF are
 * single bytes that no UTF-8 sequence contains.
 */
function normalized(message: string, encoding: 'latin1' | 'utf8'): Buffer {
  return Buffer.from(message.replace(/\r?\n/g, '\r\n'), encoding);
}
