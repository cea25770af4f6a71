/**
 * A raw-socket SMTP server for the faults a well-behaved server never makes: replies out of
 * sequence, replies that trickle in forever, resets in the middle of a body. Each handler gets
 * the connection and writes whatever it likes; the defaults behave. Every body that ends with
 * its final dot counts as received (the recipient has that copy), whatever the server answers.
 */
import net from 'node:net';

export interface RawConn {
  /** 1 for the first connection, 2 for the next, … */
  id: number;
  socket: net.Socket;
  /** Messages whose body was received on this connection so far. */
  messages: number;
  /** Recipients of the transaction under way. */
  to: string[];
  reply(...lines: string[]): void;
  /** Writes `line` now and then every `everyMs` until the connection closes (a reply that never completes). */
  trickle(line: string, everyMs?: number): void;
}

export interface RawMessage {
  conn: number;
  to: string[];
  size: number;
}

export interface RawScript {
  ehlo?(c: RawConn): void;
  mail?(c: RawConn): void;
  rcpt?(c: RawConn, address: string): void;
  data?(c: RawConn): void;
  /** The whole body and its final dot arrived (already counted). */
  message?(c: RawConn, m: RawMessage): void;
  /** Part of a body arrived; `total` bytes of it so far. */
  bodyBytes?(c: RawConn, total: number): void;
  /** Any other command; return true once handled (else 502). */
  other?(c: RawConn, line: string): boolean;
}

export interface RawSmtp {
  port: number;
  url: string;
  received: RawMessage[];
  /** The connection each MAIL FROM came on, and when (ms, performance.now()). */
  mails: { conn: number; at: number }[];
  countFor(address: string): number;
  close(): Promise<void>;
}

const TERMINATOR = Buffer.from('\r\n.\r\n');

export async function rawSmtp(script: RawScript = {}): Promise<RawSmtp> {
  const received: RawMessage[] = [];
  const mails: RawSmtp['mails'] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const timers: NodeJS.Timeout[] = [];
    socket.on('close', () => (sockets.delete(socket), timers.forEach(clearInterval)));
    socket.on('error', () => undefined);
    const c: RawConn = {
      id: ++connections,
      socket,
      messages: 0,
      to: [],
      reply: (...lines) => void (socket.writable && socket.write(lines.map((l) => `${l}\r\n`).join(''))),
      trickle: (line, everyMs = 250) => {
        c.reply(line);
        timers.push(setInterval(() => c.reply(line), everyMs));
      },
    };
    let pending = Buffer.alloc(0);
    // In a body: its size so far and the last bytes seen, so a dot split across chunks is found.
    let body: { size: number; tail: Buffer } | undefined;
    const command = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') return script.ehlo ? script.ehlo(c) : c.reply('250-raw.test', '250 PIPELINING');
      if (verb === 'MAIL') {
        mails.push({ conn: c.id, at: performance.now() });
        c.to = [];
        return script.mail ? script.mail(c) : c.reply('250 sender ok');
      }
      if (verb === 'RCPT') {
        const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
        c.to.push(address);
        return script.rcpt ? script.rcpt(c, address) : c.reply('250 recipient ok');
      }
      if (verb === 'DATA') {
        body = { size: 0, tail: Buffer.from('\r\n') };
        return script.data ? script.data(c) : c.reply('354 go ahead');
      }
      if (verb === 'RSET' || verb === 'NOOP') return c.reply('250 ok');
      if (verb === 'QUIT') return (c.reply('221 bye'), void socket.end());
      if (!script.other?.(c, line)) c.reply('502 unknown command');
    };
    const feedBody = (chunk: Buffer): Buffer | undefined => {
      const b = body!;
      const probe = Buffer.concat([b.tail, chunk]);
      const at = probe.indexOf(TERMINATOR);
      if (at < 0) {
        b.size += chunk.length;
        b.tail = probe.subarray(-TERMINATOR.length + 1);
        script.bodyBytes?.(c, b.size);
        return undefined;
      }
      b.size += Math.max(0, at - b.tail.length);
      body = undefined;
      c.messages++;
      const m = { conn: c.id, to: c.to, size: b.size };
      received.push(m);
      script.message ? script.message(c, m) : c.reply('250 queued');
      return probe.subarray(at + TERMINATOR.length);
    };
    socket.on('data', (chunk: Buffer) => {
      let rest: Buffer | undefined = chunk;
      while (rest && rest.length > 0 && !socket.destroyed) {
        if (body) {
          rest = feedBody(rest);
          continue;
        }
        pending = Buffer.concat([pending, rest]);
        rest = undefined;
        let nl: number;
        while (!body && (nl = pending.indexOf('\n')) >= 0) {
          const line = pending.subarray(0, nl).toString('latin1').replace(/\r$/, '');
          pending = pending.subarray(nl + 1);
          command(line);
        }
        if (body && pending.length > 0) {
          rest = pending;
          pending = Buffer.alloc(0);
        }
      }
    });
    c.reply('220 raw.test ESMTP');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    mails,
    countFor: (address) => received.filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase())).length,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
