/** What identifies the bytes of a message: recorded with each send, compared by preview. */
import { createHash } from 'node:crypto';

/** SHA-256 of the exact bytes, in hex. */
export function fingerprint(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}
