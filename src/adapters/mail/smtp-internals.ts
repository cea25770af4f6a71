/**
 * The two things notify reads of nodemailer's SMTPConnection beyond its documented API: the
 * last reply it read, and its socket. Both are private fields (`lastServerResponse`, `_socket`);
 * every access to them is here, so a nodemailer upgrade that changes them breaks in one place.
 */
import net from 'node:net';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';

/** The last reply the connection read, '' before the first one. */
export function lastReply(conn: SMTPConnection): string {
  const reply: unknown = conn.lastServerResponse;
  return typeof reply === 'string' ? reply : '';
}

/** The socket under the connection (a TLS socket is a net.Socket too); undefined when there is none. */
export function socketOf(conn: SMTPConnection): net.Socket | undefined {
  const socket: unknown = conn._socket;
  return socket instanceof net.Socket ? socket : undefined;
}
