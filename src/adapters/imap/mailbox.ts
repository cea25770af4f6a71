/**
 * The replies mailbox over IMAP (imapflow), each message parsed with postal-mime into what
 * domain/inbound.ts judges. Read-only but for one thing: what was matched may be moved to the
 * processed folder. Nothing is ever deleted.
 */
import { createHash } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import type { StakeholderMap } from '../../domain/map.js';
import { messageIds, parseDeliveryStatus, type InboundMessage } from '../../domain/inbound.js';
import { EXIT, NotifyError, UsageError } from '../../errors.js';
import { displayPath } from '../../config/load.js';
import { passwordFromMap } from '../mail/smtp-password.js';

export interface ImapOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  mailbox: string;
  processedFolder?: string;
  /** For messages: the url as written (never with a password). */
  url: string;
}

export interface FetchedMessage extends InboundMessage {
  uid: number;
  messageId: string;
  /** The reply's text (plain, else the HTML's text), for the excerpt. */
  text: string;
}

/** The settings of replies.imap, with its password read (env, file or command). */
export async function imapOptions(map: StakeholderMap, env: Record<string, string | undefined>, cwd: string): Promise<ImapOptions> {
  const s = map.replies?.imap;
  if (!s) throw new UsageError(`${displayPath(cwd, map.file)} has no replies.imap: notify cannot read replies`, 'add replies: { imap: { url: imaps://mail.example.com, user: ..., password_env: ... }, address: ... } to the map');
  const u = new URL(s.url);
  const secure = u.protocol === 'imaps:';
  let pass: string | undefined;
  if (s.passwordEnv) {
    pass = env[s.passwordEnv];
    if (pass === undefined) throw new UsageError(`the map names replies.imap.password_env ${s.passwordEnv}, but that environment variable is not set`, `export ${s.passwordEnv}=... before running notify`);
  } else pass = await passwordFromMap(map, s, env, cwd, 'replies.imap');
  return { host: u.hostname, port: Number(u.port) || (secure ? 993 : 143), secure, user: s.user, pass, mailbox: s.mailbox, processedFolder: s.processedFolder, url: s.url };
}

export class Mailbox {
  private constructor(
    private readonly client: ImapFlow,
    private readonly o: ImapOptions,
  ) {}

  static async open(o: ImapOptions): Promise<Mailbox> {
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: o.host,
      port: o.port,
      secure: o.secure,
      auth: o.user ? { user: o.user, pass: o.pass ?? '' } : undefined,
      logger: false,
      // No IDLE between commands: notify reads and leaves.
      disableAutoIdle: true,
    });
    // A socket error after connect is reported through the next command, not as a crash.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      throw connectError(err as ImapError, o);
    }
    return new Mailbox(client, o);
  }

  /**
   * Every message of the mailbox whose headers may concern notify (answers a Message-ID in
   * `known`, or is a delivery report), parsed. The rest is never downloaded.
   */
  async read(known: (id: string) => boolean): Promise<{ messages: FetchedMessage[]; total: number }> {
    const lock = await this.openMailbox();
    try {
      const mailbox = this.client.mailbox;
      const total = mailbox ? mailbox.exists : 0;
      if (total === 0) return { messages: [], total };
      const wanted: number[] = [];
      for await (const m of this.client.fetch('1:*', { uid: true, envelope: true, headers: ['references', 'content-type', 'in-reply-to'] })) {
        const head = m.headers?.toString('utf8') ?? '';
        const ids = [...messageIds(m.envelope?.inReplyTo), ...messageIds(unfold(head))];
        if (ids.some(known) || /multipart\/report/i.test(head)) wanted.push(m.uid);
      }
      const out: FetchedMessage[] = [];
      if (wanted.length === 0) return { messages: out, total };
      const PostalMime = (await import('postal-mime')).default;
      for await (const m of this.client.fetch(wanted.join(','), { uid: true, source: true }, { uid: true })) {
        if (m.source) out.push(await parse(PostalMime, m.uid, m.source));
      }
      return { messages: out, total };
    } finally {
      lock.release();
    }
  }

  /** Moves what was matched to the processed folder (created if missing); a no-op without one. */
  async moveProcessed(uids: number[]): Promise<void> {
    const folder = this.o.processedFolder;
    if (!folder || uids.length === 0) return;
    const list = await this.client.list();
    if (!list.some((b) => b.path === folder)) await this.client.mailboxCreate(folder.split('/'));
    const lock = await this.openMailbox();
    try {
      await this.client.messageMove(uids.join(','), folder, { uid: true });
    } finally {
      lock.release();
    }
  }

  async close(): Promise<void> {
    try {
      await this.client.logout();
    } catch {
      this.client.close();
    }
  }

  private async openMailbox() {
    try {
      return await this.client.getMailboxLock(this.o.mailbox);
    } catch (err) {
      throw new UsageError(`cannot open the mailbox "${this.o.mailbox}" at ${this.o.url}: ${(err as ImapError).responseText ?? (err as Error).message}`, 'check replies.imap.mailbox in the map');
    }
  }
}

type Parser = (typeof import('postal-mime'))['default'];

async function parse(PostalMime: Parser, uid: number, source: Buffer): Promise<FetchedMessage> {
  const email = await PostalMime.parse(source);
  const headers = new Map<string, string>();
  for (const h of email.headers) if (!headers.has(h.key)) headers.set(h.key, h.value);
  const thread = [...messageIds(headers.get('in-reply-to')), ...messageIds(headers.get('references'))];
  const messageId = messageIds(headers.get('message-id'))[0] ?? `<${createHash('sha256').update(source).digest('hex').slice(0, 32)}@no-message-id.invalid>`;
  const type = headers.get('content-type') ?? '';
  let report: FetchedMessage['report'];
  if (/multipart\/report/i.test(type) && /report-type\s*=\s*"?delivery-status/i.test(type)) {
    const recipients = [];
    const originalIds: string[] = [];
    for (const a of email.attachments) {
      const c = a.content;
      const text = typeof c === 'string' ? c : Buffer.from(c instanceof ArrayBuffer ? new Uint8Array(c) : c).toString('utf8');
      if (/^message\/(?:global-)?delivery-status$/i.test(a.mimeType)) recipients.push(...parseDeliveryStatus(text));
      else if (/^(?:text\/rfc822-headers|message\/rfc822|message\/global)$/i.test(a.mimeType)) originalIds.push(...messageIds(/^message-id:(.*(?:\r?\n[ \t].*)*)/im.exec(text)?.[1]));
    }
    report = { recipients, originalIds };
  }
  const text = email.text ?? (email.html ? htmlText(email.html) : '');
  return { uid, messageId, thread, subject: email.subject ?? '', headers, report, text };
}

function unfold(head: string): string {
  return head.replace(/\r?\n[ \t]+/g, ' ');
}

/** Enough of an HTML reply's text for an excerpt: block ends become line breaks, tags go. */
function htmlText(html: string): string {
  return html
    .replace(/<(?:style|script)[\s\S]*?<\/(?:style|script)>/gi, '')
    .replace(/<blockquote[\s\S]*$/i, '')
    .replace(/<(?:br|\/p|\/div|\/li)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

interface ImapError extends Error {
  code?: string;
  authenticationFailed?: boolean;
  responseText?: string;
}

function connectError(err: ImapError, o: ImapOptions): NotifyError {
  const where = `${o.host}:${o.port} (replies.imap.url)`;
  if (err.authenticationFailed || err.code === 'AUTHENTICATIONFAILED') return new UsageError(`IMAP authentication failed at ${where}${err.responseText ? `: ${err.responseText}` : ''}`, 'check replies.imap.user and its password setting; nothing was recorded');
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return new UsageError(`IMAP host of ${where} cannot be resolved`, 'check replies.imap.url');
  return new NotifyError(`cannot read the replies mailbox at ${where}: ${err.message}`, EXIT.incomplete, 'nothing was recorded; run the same command again when the server is reachable');
}
