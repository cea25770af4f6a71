/** A real SMTP server on loopback for tests: records what it received, with hooks to inject faults. */
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface Received {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  messageId: string;
}

export interface TestSmtp {
  url: string;
  port: number;
  received: Received[];
  /** How many messages each recipient received. */
  countFor(address: string): number;
  close(): Promise<void>;
}

type Maybe<T> = T | Promise<T>;

export interface FaultHooks {
  /** Return an SMTP error (e.g. smtpError(421, 'busy')) to refuse the connection instead of greeting. */
  onConnect?: (session: SMTPServerSession) => Maybe<Error | undefined>;
  /** Return an SMTP error (e.g. smtpError(550, 'no such user')) to reject this recipient. */
  onRcpt?: (address: string, session: SMTPServerSession) => Maybe<Error | undefined>;
  onMailFrom?: (address: string) => Maybe<Error | undefined>;
  /** Return true to drop the connection as soon as the first bytes of the body arrive (mid-DATA). */
  onDataStart?: (session: SMTPServerSession) => boolean;
  /**
   * Called after the whole message was received; return an error to reply 4xx/5xx after DATA,
   * 'hang' to never reply, 'drop' to close the connection without a reply. Undefined accepts
   * (the message is counted in `received`, then 250 is sent).
   */
  onData?: (raw: string, session: SMTPServerSession) => Maybe<Error | undefined | 'hang' | 'drop'>;
  /** Called once the 250 for an accepted message has been written to the client's socket. */
  onReplied?: (session: SMTPServerSession) => void;
}

export function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtp(hooks: FaultHooks = {}, options: Partial<SMTPServerOptions> = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  // Destroy the client's socket: a connection that drops without a reply.
  const drop = (session: SMTPServerSession) => {
    for (const c of (server as any).connections as Set<any>) if (c.id === session.id) c._socket.destroy();
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    ...options,
    onConnect(session, cb) {
      Promise.resolve(hooks.onConnect?.(session)).then((err) => cb(err ?? undefined));
    },
    onMailFrom(address, _session, cb) {
      Promise.resolve(hooks.onMailFrom?.(address.address)).then((err) => cb(err ?? undefined));
    },
    onRcptTo(address, session, cb) {
      Promise.resolve(hooks.onRcpt?.(address.address, session)).then((err) => cb(err ?? undefined));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (c: Buffer) => {
        if (dropped) return;
        if (chunks.length === 0 && hooks.onDataStart?.(session)) {
          dropped = true;
          return drop(session);
        }
        chunks.push(c);
      });
      stream.on('end', async () => {
        if (dropped) return;
        const raw = Buffer.concat(chunks).toString('utf8');
        const verdict = await hooks.onData?.(raw, session);
        if (verdict === 'hang') return;
        if (verdict === 'drop') return drop(session);
        if (verdict) return cb(verdict);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: decodeHeader(/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? ''),
          // A long Message-ID is folded onto the next line: unfold it.
          messageId: (/^Message-ID:((?:.*)(?:\r\n[ \t].*)*)/im.exec(raw)?.[1] ?? '').replace(/\r\n[ \t]+/g, ' ').trim(),
        });
        // smtp-server writes the reply within this call: the data stream has ended.
        cb(null, 'queued as test');
        hooks.onReplied?.(session);
      });
    },
  });
  // Clients that give up mid-handshake (a refused certificate) are expected here, not errors.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    countFor: (address) => received.filter((m) => m.to.map((t) => t.toLowerCase()).includes(address.toLowerCase())).length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Decode RFC 2047 encoded words (UTF-8, Q or B) in a header value. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\r\n[ \t]/g, ' ')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?(.*?)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}
