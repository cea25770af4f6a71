/** SMTP delivery with nodemailer's pooled transport, with every outcome classified honestly. */
import { PassThrough } from 'node:stream';
import type { StakeholderMap } from '../core/map.js';
import type { OutgoingMessage, SendOutcome, Transport } from '../core/transport.js';
import { NotifyError, UsageError } from '../errors.js';
import { displayPath } from '../config/load.js';
import { passwordFromMap } from './smtp-password.js';
import { readSmtpUrl } from './smtp-url.js';

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  requireTls: boolean;
  maxConnections: number;
  ratePerSecond?: number;
  timeoutMs: number;
  /** Where the settings came from, for messages (never includes the password). */
  source: string;
}

export const DEFAULT_CONNECTIONS = 5;

/** NOTIFY_SMTP_URL wins over the map's smtp: block; undefined when neither is set. */
export function smtpOptions(map: StakeholderMap, env: Record<string, string | undefined>, concurrency?: number, cwd?: string): SmtpOptions | undefined {
  const s = map.smtp;
  const fromEnv = env.NOTIFY_SMTP_URL;
  const raw = fromEnv || s?.url;
  if (!raw) return undefined;
  const source = fromEnv ? 'NOTIFY_SMTP_URL' : 'smtp.url in the map';
  // The map's smtp.url was checked by the same reader when the map was loaded, at its line.
  const url = readSmtpUrl(raw, fromEnv ? 'NOTIFY_SMTP_URL' : `smtp.url in ${displayPath(cwd ?? map.dir, map.file)}`);
  let user = url.user ?? s?.user;
  let pass = url.pass;
  if (!pass && s?.passwordEnv) {
    pass = env[s.passwordEnv];
    if (pass === undefined) throw new UsageError(`the map names smtp.password_env ${s.passwordEnv}, but that environment variable is not set`, `export ${s.passwordEnv}=... before running notify`);
  }
  if (!pass && s && (s.passwordFile || s.passwordCommand)) pass = passwordFromMap(map, s, env, cwd);
  if (pass && !user) user = s?.user;
  return {
    host: url.host,
    port: url.port,
    secure: url.secure,
    user,
    pass,
    requireTls: url.requireTls || (s?.requireTls ?? false),
    maxConnections: concurrency ?? s?.maxConnections ?? DEFAULT_CONNECTIONS,
    ratePerSecond: s?.ratePerSecond,
    timeoutMs: (url.timeoutSeconds || s?.timeoutSeconds || 30) * 1000,
    source,
  };
}

export async function createSmtpTransport(o: SmtpOptions): Promise<Transport> {
  // The pool is used directly, as a nodemailer transport, with the bytes io/compose.ts already
  // built: going through Mailer.sendMail({raw}) would wrap them in a second MIME pipeline
  // (a new Message-ID, stream plumbing) and cost about a third of the send throughput.
  const { default: SMTPPool } = await import('nodemailer/lib/smtp-pool');
  const pool = new SMTPPool({
    host: o.host,
    port: o.port,
    secure: o.secure,
    requireTLS: o.requireTls,
    auth: o.user ? { user: o.user, pass: o.pass ?? '' } : undefined,
    maxConnections: o.maxConnections,
    maxMessages: Infinity,
    ...(o.ratePerSecond ? { rateDelta: 1000, rateLimit: o.ratePerSecond } : {}),
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
    dnsTimeout: o.timeoutMs,
    tls: { rejectUnauthorized: true },
    logger: false,
  } as any);
  return {
    kind: 'smtp',
    async verify() {
      try {
        await pool.verify();
      } catch (err) {
        throw connectionError(err as SmtpError, o);
      }
    },
    send(m: OutgoingMessage): Promise<SendOutcome> {
      const track: BodyTrack = { bodyDone: false };
      return new Promise((resolve) => {
        pool.send(poolMessage(m, track) as any, (err: SmtpError | null, info: any) => {
          resolve(err ? classify(err, track.bodyDone) : outcome(m.to, info));
        });
      });
    },
    close() {
      pool.close();
    },
  };
}

/**
 * The slice of a nodemailer mail object a transport reads. The connection only pipes the body
 * after the server's 354, so the end of this stream means the whole body (and so the final
 * dot) was handed to the socket; a requeued message gets a fresh stream.
 */
function poolMessage(m: OutgoingMessage, track: BodyTrack) {
  return {
    data: {},
    message: {
      getEnvelope: () => ({ from: m.from, to: [m.to] }),
      messageId: () => '',
      getHeader: () => '',
      createReadStream: () => {
        const body = new PassThrough();
        body.once('end', () => (track.bodyDone = true));
        body.end(m.raw);
        return body;
      },
    },
  };
}

/** Sent only when the server accepted this very recipient and then the message. */
function outcome(to: string, info: any): SendOutcome {
  const lower = to.toLowerCase();
  const listed = (list: unknown) => (Array.isArray(list) ? list : []).some((a) => String(a).toLowerCase() === lower);
  if (listed(info?.accepted)) return { status: 'sent', response: String(info.response ?? '') };
  if (listed(info?.rejected)) {
    const rej = info.rejectedErrors?.[0] as SmtpError | undefined;
    return { status: 'failed', code: rej?.responseCode, text: cleanResponse(rej?.response ?? rej?.message ?? 'recipient not accepted'), permanent: (rej?.responseCode ?? 500) >= 500 };
  }
  // The message went through, but the recipient is reported neither way: not provably sent.
  return { status: 'unknown', text: `the server took the message but did not report ${to} as accepted (${cleanResponse(String(info?.response ?? ''))})` };
}

interface BodyTrack {
  bodyDone: boolean;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejectedErrors?: SmtpError[];
}

/** An explicit reply is a failure (4xx transient, 5xx permanent); silence after the body is unknown. */
export function classify(err: SmtpError, bodyDone: boolean): SendOutcome {
  const first = err.rejectedErrors?.[0] ?? err;
  if (typeof first.responseCode === 'number') {
    return { status: 'failed', code: first.responseCode, text: cleanResponse(first.response ?? first.message), permanent: first.responseCode >= 500 };
  }
  if (bodyDone) return { status: 'unknown', text: `${err.code ?? 'error'}: ${err.message} (after the message was transmitted)` };
  return { status: 'failed', text: `${err.code ?? 'error'}: ${err.message}`, permanent: false };
}

function cleanResponse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function connectionError(err: SmtpError, o: SmtpOptions): NotifyError {
  const where = `${o.host}:${o.port} (${o.source})`;
  const code = err.responseCode ? `${err.responseCode} ${cleanResponse(err.response ?? '')}` : (err.code ?? '');
  if (err.code === 'EAUTH') return new NotifyError(`SMTP authentication failed at ${where}: ${code}`, 2, 'check the user and the password variable; nothing was sent');
  if (err.code === 'ETLS' && err.command === 'STARTTLS' && err.responseCode) {
    return new NotifyError(`SMTP server ${where} does not offer STARTTLS (${code}), and TLS is required`, 2, 'notify never falls back to plain text when TLS is required; use smtps:// or a server that offers STARTTLS');
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(`${(err as any).cause?.code ?? ''} ${err.message}`) || err.code === 'ETLS') {
    return new NotifyError(`SMTP server ${where} has a certificate that cannot be verified: ${err.message}`, 2, 'notify never falls back to an unverified connection; fix the certificate or the host name');
  }
  if (err.code === 'EDNS') return new NotifyError(`SMTP host of ${where} cannot be resolved: ${err.message}`, 2, 'check the host name');
  return new NotifyError(`cannot use the SMTP server ${where}: ${code ? `${code} ` : ''}${err.message}`.trim(), 1, 'nothing was sent; run the same command again when the server is reachable');
}
