/**
 * SMTP URLs (NOTIFY_SMTP_URL, the map's smtp.url): read them without ever throwing anything but
 * a UsageError, and show any URL in a message with its password replaced by ***.
 */
import { UsageError } from '../../errors.js';

export interface SmtpUrl {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  requireTls: boolean;
  timeoutSeconds?: number;
}

const ENCODING_HINT = 'percent-encode special characters in the user and the password: %25 for %, %40 for @, %3A for :, %2F for /, %23 for #';

/**
 * The URL with the password part of its user info replaced by ***. The user info ends at the
 * last "@" of the whole value, so a password holding an unencoded "@" or "/" is masked whole.
 */
export function maskUrl(url: string): string {
  const start = url.indexOf('://');
  if (start < 0) return url;
  const rest = url.slice(start + 3);
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const colon = rest.indexOf(':');
  if (colon < 0 || colon > at) return url; // a user name alone is no secret
  return `${url.slice(0, start + 3)}${rest.slice(0, colon)}:***${rest.slice(at)}`;
}

/** Every URL in a message masked: each word holding "://" goes through maskUrl. */
export function maskUrls(text: string): string {
  if (!text.includes('://')) return text;
  return text
    .split(/(\s+|["'`<>])/)
    .map((word) => (word.includes('://') ? maskUrl(word) : word))
    .join('');
}

/** What is wrong with an SMTP URL, in words that never repeat its user info; undefined when nothing is. */
export function smtpUrlProblem(raw: string, name: string): { message: string; hint?: string } | undefined {
  try {
    readSmtpUrl(raw, name);
    return undefined;
  } catch (err) {
    if (err instanceof UsageError) return { message: err.message, hint: err.hint };
    throw err;
  }
}

/** Parse an SMTP URL; `name` says where it came from in messages. Throws UsageError only. */
export function readSmtpUrl(raw: string, name: string): SmtpUrl {
  if (!/^smtps?:\/\//i.test(raw.trim())) throw new UsageError(`${name} must start with smtp:// or smtps://`, 'write it as smtp://host:587 or smtps://host:465');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${name} is not a valid URL`, `write it as smtp://user:password@host:587 or smtps://host:465; ${ENCODING_HINT}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new UsageError(`${name} has no host`, 'write it as smtp://host:587 or smtps://host:465');
  if (host.includes('%')) throw new UsageError(`${name} has a "%" in its host name`, 'write the host name as it is, e.g. smtp://mail.example.com:587');
  const secure = url.protocol === 'smtps:';
  const param = (key: string) => url.searchParams.get(key);
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    user: decoded(url.username, `the user name in ${name}`),
    pass: decoded(url.password, `the password in ${name}`),
    requireTls: param('require_tls') === 'true',
    timeoutSeconds: Number(param('timeout_seconds')) || undefined,
  };
}

/** A user info part, percent-decoded; a "%" not followed by two hex digits is a user's mistake, not a crash. */
function decoded(part: string, what: string): string | undefined {
  if (!part) return undefined;
  if (/%(?![0-9A-Fa-f]{2})/.test(part)) throw new UsageError(`${what} must be percent-encoded (write %25 for %)`, ENCODING_HINT);
  try {
    return decodeURIComponent(part);
  } catch {
    throw new UsageError(`${what} is not valid percent-encoded UTF-8`, ENCODING_HINT);
  }
}
