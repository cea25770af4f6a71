/**
 * What the end of a send means, for the log and for the connection it went over. An explicit
 * reply is a failure (4xx transient, 5xx permanent); silence after the body is unknown.
 */
import type { SendOutcome } from '../core/transport.js';
import type { BodyProgress } from './smtp-body.js';

export interface SmtpError extends Error {
  code?: string;
  /** The system error's own code, when nodemailer replaced it with its own (ESOCKET). */
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejectedErrors?: SmtpError[];
}

/** What nodemailer's SMTPConnection.send() reports when the reply to the body was 2xx. */
export interface SendInfo {
  accepted?: unknown[];
  rejected?: unknown[];
  rejectedErrors?: SmtpError[];
  response?: string;
}

export interface Verdict {
  outcome: SendOutcome;
  /** keep: ready for the next message; reset: RSET first (a refused transaction); drop: never again. */
  after: 'keep' | 'reset' | 'drop';
}

export function judgeSend(to: string, err: SmtpError | undefined, info: SendInfo | undefined, body: BodyProgress): Verdict {
  if (info) return accepted(to, String(info.response ?? ''), info);
  const first = err?.rejectedErrors?.[0] ?? err;
  if (typeof first?.responseCode === 'number') {
    const refusal = (err?.code === 'EENVELOPE' || err?.code === 'EMESSAGE') && first.responseCode !== 421;
    return { outcome: { status: 'failed', code: first.responseCode, text: clean(first.response ?? first.message), permanent: first.responseCode >= 500 }, after: refusal ? 'reset' : 'drop' };
  }
  const text = err ? errorText(err) : 'the send ended without a reply';
  if (body.state === 'left') return { outcome: { status: 'unknown', text: `${text} (after the message was transmitted)` }, after: 'drop' };
  return { outcome: { status: 'failed', text, permanent: false }, after: 'drop' };
}

/** Sent only when the server accepted this very recipient and then the message. */
function accepted(to: string, reply: string, info: SendInfo | undefined): Verdict {
  const lower = to.toLowerCase();
  const listed = (list: unknown) => (Array.isArray(list) ? list : []).some((a) => String(a).toLowerCase() === lower);
  if (listed(info?.accepted)) return { outcome: { status: 'sent', response: reply }, after: 'keep' };
  if (listed(info?.rejected)) {
    const rej = info?.rejectedErrors?.[0];
    const code = rej?.responseCode ?? 500;
    return { outcome: { status: 'failed', code: rej?.responseCode, text: clean(rej?.response ?? rej?.message ?? 'recipient not accepted'), permanent: code >= 500 }, after: 'keep' };
  }
  // The message went through, but the recipient is reported neither way: not provably sent.
  return { outcome: { status: 'unknown', text: `the server took the message but did not report ${to} as accepted (${clean(reply)})` }, after: 'drop' };
}

/** An error in one line: the server's reply when there is one (nodemailer appends it to the message), its code once. */
export function errorText(err: SmtpError): string {
  const code = err.originalCode ?? err.code;
  const message = clean(err.message);
  if (!code || message.includes(code) || (err.code && message.includes(err.code))) return message;
  return `${code}: ${message}`;
}

export function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
