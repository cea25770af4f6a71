/**
 * At most `max` SMTP connections, each carrying one message at a time and reused while it can
 * be trusted. A connection that is dead (out of step, timed out, closed by the server) is
 * never handed out again; its place goes to a new one.
 */

export interface PooledSession {
  readonly dead: boolean;
  close(): void;
}

export class SessionPool<S extends PooledSession> {
  private readonly idle: S[] = [];
  /** Connections that exist or are being opened. */
  private count = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly open: () => Promise<S>,
    private readonly max: number,
  ) {}

  /** An idle connection, else a new one while there is room, else the next one released. */
  async acquire(): Promise<S> {
    for (;;) {
      if (this.closed) throw Object.assign(new Error('the connection pool is closed'), { code: 'ECONNECTION' });
      const s = this.takeIdle();
      if (s) return s;
      if (this.count < this.max) {
        this.count++;
        try {
          return await this.open();
        } catch (err) {
          this.count--;
          this.wakeOne();
          throw err;
        }
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** A connection opened outside the pool (the one that verified the server) joins it as idle, when there is room. */
  adopt(s: S): void {
    if (this.closed || s.dead || this.count >= this.max) return s.close();
    this.count++;
    this.idle.push(s);
    this.wakeOne();
  }

  release(s: S): void {
    if (this.closed || s.dead) this.discard(s);
    else this.idle.push(s);
    this.wakeOne();
  }

  /** Idle connections go now; the busy ones when they are released. */
  close(): void {
    this.closed = true;
    for (const s of this.idle.splice(0)) this.discard(s);
    for (const wake of this.waiting.splice(0)) wake();
  }

  private takeIdle(): S | undefined {
    for (let s = this.idle.pop(); s; s = this.idle.pop()) {
      if (!s.dead) return s;
      this.discard(s);
    }
    return undefined;
  }

  private discard(s: S): void {
    s.close();
    this.count--;
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }
}
