/**
 * What the end of a send means, for the log and for the connection it went over. Only 250
 * after the body is accepted and only a 4xx or 5xx reply is a refusal. Any other reply read
 * where another was due shows the connection out of step with its commands: it is dropped,
 * never reused, and the outcome depends on how far the body got. Nothing of it sent: a
 * retryable failure. All of it handed to the kernel: unknown, the server may have it.
 */
import type { SendOutcome } from '../../domain/transport.js';
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
  if (body.state === 'refused-data') {
    return { outcome: failed(`reply out of sequence: ${clean(body.dataReply)} where DATA expects 354; nothing of the message was sent`), after: 'drop' };
  }
  if (info) return judgeReplyToBody(to, String(info.response ?? ''), info, body);
  if (err?.code === 'EMESSAGE' && err.response) return judgeReplyToBody(to, err.response, undefined, body);
  if (err?.code === 'EENVELOPE') return judgeEnvelope(err);
  return judgeLost(err, body);
}

function judgeReplyToBody(to: string, reply: string, info: SendInfo | undefined, body: BodyProgress): Verdict {
  const code = replyCode(reply);
  if (body.state !== 'left') {
    // Read before the last byte of the body left, so not the reply to it; dropping the
    // connection now keeps that last byte (the final dot) from ever leaving.
    if (isRefusal(code)) return { outcome: refused(code, reply), after: 'drop' };
    return { outcome: failed(`reply out of sequence before the message was sent: ${clean(reply)}`), after: 'drop' };
  }
  if (!body.heardSince) {
    return { outcome: unknown(`the only reply was read before the message was sent (${clean(reply)}): out of sequence, the connection was dropped`), after: 'drop' };
  }
  if (isRefusal(code)) return { outcome: refused(code, reply), after: code === 421 ? 'drop' : 'reset' };
  if (code !== 250) return { outcome: unknown(`the server answered the message with ${clean(reply)}, not 250`), after: 'drop' };
  return accepted(to, reply, info);
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
  return { outcome: unknown(`the server took the message but did not report ${to} as accepted (${clean(reply)})`), after: 'drop' };
}

/** MAIL FROM, RCPT TO or DATA was answered with something other than a go-ahead. */
function judgeEnvelope(err: SmtpError): Verdict {
  const first = err.rejectedErrors?.[0] ?? err;
  const code = first.responseCode;
  if (isRefusal(code)) return { outcome: refused(code, first.response ?? first.message), after: code === 421 ? 'drop' : 'reset' };
  if (code !== undefined) {
    return { outcome: failed(`reply out of sequence: ${clean(first.response)} to ${first.command ?? err.command ?? 'the envelope'}; nothing of the message was sent`), after: 'drop' };
  }
  // Refused by nodemailer itself (an address it will not write), before any command.
  return { outcome: failed(errorText(err)), after: 'drop' };
}

/** No reply to judge: the connection failed, timed out or fell out of step. */
function judgeLost(err: SmtpError | undefined, body: BodyProgress): Verdict {
  const text = err ? errorText(err) : 'the send ended without a reply';
  if (body.state === 'left') return { outcome: unknown(`${text} (after the message was transmitted)`), after: 'drop' };
  const closing = err?.responseCode === 421 ? 421 : undefined;
  return { outcome: { status: 'failed', code: closing, text, permanent: false }, after: 'drop' };
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

function replyCode(reply: string): number | undefined {
  const m = /^(\d{3})(?:[ -]|$)/.exec(reply.trim());
  return m ? Number(m[1]) : undefined;
}

const isRefusal = (code: number | undefined): code is number => code !== undefined && code >= 400 && code < 600;
const failed = (text: string): SendOutcome => ({ status: 'failed', text, permanent: false });
const unknown = (text: string): SendOutcome => ({ status: 'unknown', text });
const refused = (code: number, text: string): SendOutcome => ({ status: 'failed', code, text: clean(text), permanent: code >= 500 });
