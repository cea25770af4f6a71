/** SMTP settings, and delivery over a pool of checked connections with every outcome classified honestly. */
import type { StakeholderMap } from '../../domain/map.js';
import type { OutgoingMessage, SendOutcome, Transport } from '../../domain/transport.js';
import { EXIT, NotifyError, UsageError } from '../../errors.js';
import { displayPath } from '../../config/load.js';
import { clean, errorText, type SmtpError } from './smtp-outcome.js';
import { passwordFromMap } from './smtp-password.js';
import type { SmtpSession } from './smtp-session.js';
import { readSmtpUrl, type SmtpUrl } from './smtp-url.js';

export interface SmtpOptions extends Omit<SmtpUrl, 'timeoutSeconds'> {
  maxConnections: number;
  ratePerSecond?: number;
  timeoutMs: number;
  /** Where the settings came from, for messages (never includes the password). */
  source: string;
}

export const DEFAULT_CONNECTIONS = 5;

/** NOTIFY_SMTP_URL wins over the map's smtp: block; undefined when neither is set. */
export async function smtpOptions(map: StakeholderMap, env: Record<string, string | undefined>, concurrency?: number, cwd?: string): Promise<SmtpOptions | undefined> {
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
  if (!pass && s && (s.passwordFile || s.passwordCommand)) pass = await passwordFromMap(map, s, env, cwd);
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
  // Connections are driven one by one over nodemailer's SMTPConnection, with the bytes
  // io/compose.ts already built, rather than through its pool: each reply needs a deadline
  // of its own, and a connection that falls out of step must be dropped, never reused.
  const [{ SmtpSession }, { SessionPool }] = await Promise.all([import('./smtp-session.js'), import('./smtp-pool.js')]);
  const settings = { host: o.host, port: o.port, secure: o.secure, requireTls: o.requireTls, user: o.user, pass: o.pass, timeoutMs: o.timeoutMs };
  const pool = new SessionPool(() => SmtpSession.open(settings), o.maxConnections);
  return {
    kind: 'smtp',
    ratePerSecond: o.ratePerSecond,
    async verify() {
      try {
        (await SmtpSession.open(settings)).quit();
      } catch (err) {
        throw connectionError(err as SmtpError, o);
      }
    },
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      // A kept connection the server closed while it sat idle fails before a word about this
      // message: it goes again over another one, a few times at most.
      for (let tries = 1; ; tries++) {
        let session: SmtpSession;
        try {
          session = await pool.acquire();
        } catch (err) {
          return { status: 'failed', text: `no connection to the SMTP server: ${errorText(err as SmtpError)}`, permanent: false };
        }
        const { outcome, wasStale } = await session.send(m);
        pool.release(session);
        if (!wasStale || tries === STALE_TRIES) return outcome;
      }
    },
    close() {
      pool.close();
    },
  };
}

const STALE_TRIES = 3;

function connectionError(err: SmtpError, o: SmtpOptions): NotifyError {
  const where = `${o.host}:${o.port} (${o.source})`;
  // The server's own reply when there is one (it starts with its code), else the error, once.
  const said = err.response ? clean(err.response) : errorText(err);
  if (err.code === 'EAUTH') return new NotifyError(`SMTP authentication failed at ${where}: ${said}`, EXIT.usage, 'check the user and the password variable; nothing was sent');
  if (err.code === 'ETLS' && err.command === 'STARTTLS' && err.response) {
    return new NotifyError(`SMTP server ${where} does not offer STARTTLS (${said}), and TLS is required`, EXIT.usage, 'notify never falls back to plain text when TLS is required; use smtps:// or a server that offers STARTTLS');
  }
  const tls = tlsFailure(err);
  if (tls === 'certificate') {
    return new NotifyError(`SMTP server ${where} has a certificate that cannot be verified (${clean(err.message)})`, EXIT.usage, 'notify never falls back to an unverified connection; fix the certificate or the host name');
  }
  if (tls === 'handshake') {
    // The TLS library's text (error codes, source file names) helps a bug report, not a reader.
    return new NotifyError(
      `the TLS handshake with SMTP server ${where} failed${o.secure ? '' : ' after STARTTLS'}`,
      EXIT.usage,
      'notify never falls back to plain text; check that the port speaks TLS the way the URL says (smtps:// on 465, smtp:// with STARTTLS on 587); --verbose shows the TLS error',
      clean(err.message),
    );
  }
  if (err.code === 'EDNS') return new NotifyError(`SMTP host of ${where} cannot be resolved: ${said}`, EXIT.usage, 'check the host name');
  return new NotifyError(`cannot use the SMTP server ${where}: ${said}`, EXIT.incomplete, 'nothing was sent; run the same command again when the server is reachable');
}

/** A certificate that cannot be verified, a handshake that failed otherwise, or not TLS at all. */
function tlsFailure(err: SmtpError): 'certificate' | 'handshake' | undefined {
  const code = `${err.originalCode ?? ''} ${err.code ?? ''}`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME|HOSTNAME/i.test(code)) return 'certificate';
  if (/ERR_SSL_|ERR_TLS_/.test(code) || err.code === 'ETLS' || 'library' in err) return 'handshake';
  return undefined;
}
