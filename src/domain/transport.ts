/** What the executor needs of a transport; io/ provides SMTP, sendmail, file and dry-run ones. */

export interface OutgoingMessage {
  from: string;
  to: string;
  raw: Buffer;
  /** Recorded with the send, so a later preview can say what went out. */
  subject?: string;
}

export type SendOutcome =
  | { status: 'sent'; response: string }
  | { status: 'failed'; code?: number; text: string; permanent: boolean }
  /** The body reached the server but no final reply was seen. */
  | { status: 'unknown'; text: string };

export interface Transport {
  readonly kind: 'smtp' | 'sendmail' | 'file' | 'dry-run';
  /** At most this many sends start per second, evenly spread; the executor keeps the pace. */
  readonly ratePerSecond?: number;
  /** Connect (and authenticate) before any message is attempted. */
  verify(): Promise<void>;
  send(message: OutgoingMessage): Promise<SendOutcome>;
  close(): void;
}
