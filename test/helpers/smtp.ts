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

export interface FaultHooks {
  /** Return an SMTP error (e.g. smtpError(550, 'no such user')) to reject this recipient. */
  onRcpt?: (address: string, session: SMTPServerSession) => Error | undefined;
  onMailFrom?: (address: string) => Error | undefined;
  /** Called after the whole message was received; return an error to reply 4xx/5xx after DATA. */
  onData?: (raw: string, session: SMTPServerSession) => Error | undefined | 'hang';
}

export function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtp(hooks: FaultHooks = {}, options: Partial<SMTPServerOptions> = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    ...options,
    onMailFrom(address, _session, cb) {
      cb(hooks.onMailFrom?.(address.address) ?? undefined);
    },
    onRcptTo(address, session, cb) {
      cb(hooks.onRcpt?.(address.address, session) ?? undefined);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const verdict = hooks.onData?.(raw, session);
        if (verdict === 'hang') return;
        if (verdict) return cb(verdict);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: decodeHeader(/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? ''),
          messageId: /^Message-ID: (.*)$/im.exec(raw)?.[1].trim() ?? '',
        });
        cb(null, 'queued as test');
      });
    },
  });
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
