/**
 * One SMTP connection: opened, checked, used for one message at a time, and dropped the moment
 * it cannot be trusted. nodemailer's SMTPConnection speaks the protocol; this decides how long
 * a reply may take (io/smtp-deadline.ts), how far a body got (io/smtp-body.ts) and what the
 * result means (io/smtp-outcome.ts). Every wait ends: in a reply, an error, the deadline, or
 * the connection closing; whichever comes first settles the operation in flight.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { OutgoingMessage, SendOutcome } from '../../domain/transport.js';
import { bodyStream, type BodyProgress } from './smtp-body.js';
import { ReplyDeadline } from './smtp-deadline.js';
import { judgeSend, type SendInfo, type SmtpError, type Verdict } from './smtp-outcome.js';

export interface SessionSettings {
  host: string;
  port: number;
  secure: boolean;
  requireTls: boolean;
  user?: string;
  pass?: string;
  timeoutMs: number;
}

export interface SessionSend {
  outcome: SendOutcome;
  /**
   * A connection kept from an earlier message failed before the server said a word about this
   * one, and nothing of it was written: the server most likely closed it while it was idle.
   */
  wasStale: boolean;
}

type Done<T> = (err: SmtpError | null | undefined, value?: T) => void;

export class SmtpSession {
  /** Set once the connection may not carry another message. */
  dead = false;
  private messages = 0;
  /** Kept open after verifying the server, as a connection kept after a message is. */
  private keptIdle = false;
  private readonly conn: SMTPConnection;
  private readonly deadline: ReplyDeadline;
  /** Settles the operation in flight (connect, login, send, reset), at most once. */
  private settle: Done<unknown> | undefined;

  private constructor(private readonly s: SessionSettings) {
    this.deadline = new ReplyDeadline(s.timeoutMs, (awaited) => this.expire(awaited));
    this.conn = new SMTPConnection({
      host: s.host,
      port: s.port,
      secure: s.secure,
      requireTLS: s.requireTls,
      tls: { rejectUnauthorized: true },
      connectionTimeout: s.timeoutMs,
      greetingTimeout: s.timeoutMs,
      socketTimeout: s.timeoutMs,
      dnsTimeout: s.timeoutMs,
      // A dropped connection is destroyed, not ended: what it still holds of a body never leaves.
      socketCloseTimeout: 0,
      logger: this.deadline.logger,
      transactionLog: true,
    });
    this.conn.on('error', (err: SmtpError) => this.lose(err));
    this.conn.on('end', () => this.lose(Object.assign(new Error('the server closed the connection'), { code: 'ECONNECTION' })));
  }

  /** Connects, says EHLO (STARTTLS when asked) and logs in; rejects with nodemailer's error. */
  static async open(s: SessionSettings): Promise<SmtpSession> {
    const session = new SmtpSession(s);
    try {
      await session.run<void>((done) => session.conn.connect((err) => done(err)));
      if (s.user && session.conn.allowsAuth) await session.run<void>((done) => session.conn.login({ user: s.user, pass: s.pass ?? '' }, (err) => done(err)));
      return session;
    } catch (err) {
      session.close();
      throw err;
    }
  }

  async send(m: OutgoingMessage): Promise<SessionSend> {
    const reused = this.messages++ > 0 || this.keptIdle;
    const repliesBefore = this.deadline.replies;
    const body: BodyProgress = { state: 'waiting', heardSince: false };
    let wasStale = false;
    const verdict = await new Promise<Verdict>((resolve) => {
      let open = true;
      // Judged the moment the send ends, before anything else can move: dropping the
      // connection right then is what keeps the rest of an unfinished body from leaving.
      const judged: Done<SendInfo> = (err, info) => {
        if (!open) return;
        open = false;
        if (this.settle === judged) this.settle = undefined;
        const v = judgeSend(m.to, err ?? undefined, err ? undefined : info, body);
        if (v.after === 'drop') this.close();
        const silent = this.deadline.replies === repliesBefore && body.state === 'waiting';
        wasStale = reused && silent && !!err && err.responseCode === undefined && err.code !== 'ETIMEDOUT';
        resolve(v);
      };
      if (this.dead) return judged(Object.assign(new Error('the connection was closed'), { code: 'ECONNECTION' }));
      this.settle = judged as Done<unknown>;
      const stream = bodyStream(m.raw, this.conn, body, {
        outOfStep: () => judged(null),
        left: () => this.deadline.sent('the message'),
      });
      this.conn.send({ from: m.from, to: [m.to] }, stream, judged);
    });
    if (verdict.after === 'reset') await this.reset();
    return { outcome: verdict.outcome, wasStale };
  }

  /** From now on it waits idle for its first message: the server may close it meanwhile, like any kept connection. */
  keepIdle(): void {
    this.keptIdle = true;
  }

  /** QUIT, politely, for a connection nobody waits on; the reply deadline bounds it too. */
  quit(): void {
    if (this.dead) return this.close();
    this.dead = true;
    this.conn.quit();
  }

  close(): void {
    this.dead = true;
    this.deadline.stop();
    this.conn.close();
  }

  /** A refused transaction is ended with RSET; the connection is kept only if that works. */
  private async reset(): Promise<void> {
    await this.run<void>((done) => this.conn.reset((err) => done(err))).catch(() => this.close());
  }

  private run<T>(start: (done: Done<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let open = true;
      const done: Done<T> = (err, value) => {
        if (!open) return;
        open = false;
        if (this.settle === done) this.settle = undefined;
        if (err) reject(err);
        else resolve(value as T);
      };
      if (this.dead) return done(Object.assign(new Error('the connection is closed'), { code: 'ECONNECTION' }));
      this.settle = done as Done<unknown>;
      start(done);
    });
  }

  /** An error or the end of the connection: whatever was in flight ends with it. */
  private lose(err: SmtpError): void {
    this.dead = true;
    this.deadline.stop();
    const settle = this.settle;
    this.settle = undefined;
    settle?.(err);
  }

  private expire(awaited: string): void {
    const seconds = Math.round(this.s.timeoutMs / 100) / 10;
    this.lose(Object.assign(new Error(`no complete reply to ${awaited} within ${seconds} s`), { code: 'ETIMEDOUT' }));
    this.conn.close();
  }
}
