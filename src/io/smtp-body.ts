/**
 * A message body on its way to the server, and how far it got. nodemailer pipes this stream
 * only after the server's 354, so its end means the whole body (and so the final dot) was
 * handed to the connection: from then on the server owes the reply to it.
 */
import { PassThrough } from 'node:stream';

export interface BodyProgress {
  /** waiting: DATA not answered yet; left: the whole body was handed to the connection. */
  state: 'waiting' | 'left';
}

export interface BodyEvents {
  /** The whole body left: from now the server owes the reply to it. */
  left(): void;
}

export function bodyStream(raw: Buffer, progress: BodyProgress, on: BodyEvents): PassThrough {
  const body = new PassThrough();
  body.once('end', () => {
    progress.state = 'left';
    on.left();
  });
  body.end(raw);
  return body;
}
