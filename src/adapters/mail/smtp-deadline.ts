/**
 * smtp.timeout_seconds bounds each whole reply, not the gap between its bytes. nodemailer's
 * socket timeout measures silence only, so a server that sends a `250-` continuation line
 * every second keeps one reply open forever. This reads the connection's transaction log:
 * writing a command starts the clock for its reply; each complete reply stops it, or restarts
 * it for the next one when several commands were pipelined.
 */

/** Commands named in a timeout message; anything else written during AUTH is a credential. */
const VERBS: Record<string, string> = { MAIL: 'MAIL FROM', RCPT: 'RCPT TO', EHLO: 'EHLO', HELO: 'HELO', LHLO: 'LHLO', STARTTLS: 'STARTTLS', AUTH: 'AUTH', DATA: 'DATA', RSET: 'RSET', NOOP: 'NOOP', QUIT: 'QUIT' };

export class ReplyDeadline {
  /** Complete replies read so far on this connection. */
  replies = 0;
  /** What each reply still awaited answers, oldest first. */
  private awaited: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armed = false;

  constructor(
    readonly ms: number,
    private readonly expired: (awaited: string) => void,
  ) {}

  /** The bunyan-style logger nodemailer writes its transaction log to (`transactionLog: true`). */
  readonly logger = {
    debug: (entry: { tnx?: string } | undefined, line?: unknown) => {
      if (entry?.tnx === 'client') this.sent(commandName(line));
      else if (entry?.tnx === 'server') this.replied();
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    trace: () => undefined,
    fatal: () => undefined,
  };

  /** Something that needs a reply left the client: a command, or a whole message body. */
  sent(what: string): void {
    this.awaited.push(what);
    if (this.awaited.length === 1) this.arm();
  }

  replied(): void {
    this.replies++;
    this.awaited.shift();
    if (this.awaited.length > 0) this.arm();
    else this.armed = false;
  }

  stop(): void {
    this.armed = false;
    this.awaited = [];
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.armed = true;
    // One timer per connection, moved on with each reply (a reply on a busy pool is frequent).
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => this.fire(), this.ms).unref();
  }

  private fire(): void {
    if (!this.armed) return;
    this.armed = false;
    this.expired(this.awaited[0] ?? 'a command');
  }
}

function commandName(line: unknown): string {
  if (String(line).startsWith('.')) return 'the message';
  const verb = /^[A-Za-z]+/.exec(String(line ?? ''))?.[0].toUpperCase() ?? '';
  return VERBS[verb] ?? 'AUTH';
}
