/**
 * A message body on its way to the server, and how far it got. A server can only have a
 * message whose final `\r\n.\r\n` reached it, so only a body whose every byte was handed to
 * the kernel may have been delivered; one still partly in this process never will be, once
 * the socket is destroyed. nodemailer reads our stream into its dot-stuffing stream and pipes
 * that into the socket, so "nodemailer read our bytes" says nothing: the socket writes of the
 * body are made here instead, each with its callback.
 */
import type net from 'node:net';
import { Duplex, PassThrough, Writable } from 'node:stream';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { lastReply, socketOf } from './smtp-internals.js';

export interface BodyProgress {
  /**
   * waiting: DATA not answered yet; refused-data: the reply to DATA was not 354, nothing was
   * written; writing: part of the body may be out; left: every byte was handed to the kernel.
   */
  state: 'waiting' | 'refused-data' | 'writing' | 'left';
  /** The reply to DATA, when it was not 354. */
  dataReply?: string;
  /** Bytes came from the server after the body left: only a reply read since can answer it. */
  heardSince: boolean;
}

export interface BodyEvents {
  /** DATA was answered with something other than 354: a stray reply was read in its place. */
  outOfStep(reply: string): void;
  /** The whole body left: from now the server owes the reply to it. */
  left(): void;
}

export function bodyStream(raw: Buffer, conn: SMTPConnection, progress: BodyProgress, on: BodyEvents): PassThrough {
  return new BodyStream(raw, (dataStream) => {
    // nodemailer pipes the body from its reply-to-DATA handler, so this is that reply.
    const reply = lastReply(conn);
    if (!/^354(?:[ -]|$)/.test(reply)) {
      progress.state = 'refused-data';
      progress.dataReply = reply;
      on.outOfStep(reply);
      return false;
    }
    const socket = socketOf(conn);
    progress.state = 'writing';
    if (!socket || !(dataStream instanceof Duplex)) {
      // Not the connection this was written for: when in doubt, the body may have left.
      progress.state = 'left';
      progress.heardSince = true;
      on.left();
      return true;
    }
    dataStream.unpipe(socket);
    const writer = new SocketWriter(socket, () => {
      progress.state = 'left';
      // Prepended: nodemailer's own listener would handle the reply before this one saw it.
      socket.prependOnceListener('data', () => (progress.heardSince = true));
      on.left();
    });
    dataStream.pipe(writer);
    return true;
  });
}

/** Our bytes; piped only where the hook allows it (the hook may take the pipe over). */
class BodyStream extends PassThrough {
  constructor(
    raw: Buffer,
    private readonly hook: (dest: NodeJS.WritableStream) => boolean,
  ) {
    super();
    this.end(raw);
  }

  pipe<T extends NodeJS.WritableStream>(dest: T, options?: { end?: boolean }): T {
    return this.hook(dest) ? super.pipe(dest, options) : dest;
  }
}

/**
 * Writes what nodemailer's data stream gives to the socket, one write at a time. A write's
 * callback runs once its bytes were handed to the kernel, and _final once every write's did:
 * that is the moment the final dot left, not before.
 */
class SocketWriter extends Writable {
  constructor(
    private readonly socket: net.Socket,
    private readonly onLeft: () => void,
  ) {
    super();
    // A destroyed socket fails the pending write; the session reports what that means.
    this.on('error', () => undefined);
  }

  _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.socket.write(chunk, (err) => done(err));
  }

  _final(done: (err?: Error | null) => void): void {
    this.onLeft();
    done();
  }
}
