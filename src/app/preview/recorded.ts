/**
 * A recorded close held against what it sent. Each message is rebuilt from the recorded
 * decisions and date; the log keeps, for each send, its subject and the SHA-256 of its bytes,
 * so the preview can say which messages today's map (a template, a party, a contact) would change.
 */
import type { Context } from '../../context.js';
import type { StakeholderMap } from '../../domain/map.js';
import { addressKey } from '../../domain/address.js';
import { fingerprint } from '../../domain/fingerprint.js';
import type { PreparedMessage } from '../close/prepare.js';

/** One recipient's recorded send: the first `notification.sent`, as a send is final. */
export interface SentFacts {
  recipient: string;
  messageId: string;
  at: string;
  subject?: string;
  sha256?: string;
}

/**
 * `same`: the rebuilt bytes are the bytes sent. `differs`: today's map changes the message.
 * `added`: the close is over and this recipient was never told (the map gained them since).
 * `unknown`: sent, but the log keeps no fingerprint (marked by hand, or logged by an older notify).
 * `unsent`: nothing sent yet (a close in progress).
 */
export type Comparison = 'same' | 'differs' | 'added' | 'unknown' | 'unsent';

export interface RecordedComparison {
  of(m: PreparedMessage): { sent?: SentFacts; comparison: Comparison };
  /** Messages today's map would make differ from what was sent (changed, or added since). */
  differing: PreparedMessage[];
  /** Sent to addresses today's map no longer lists for the close's parties: they cannot be rebuilt. */
  gone: SentFacts[];
}

export async function compareWithSent(ctx: Context, map: StakeholderMap, shown: string, project: string, closed: boolean, messages: PreparedMessage[]): Promise<RecordedComparison> {
  const sends = new Map<string, SentFacts>();
  // Warnings (a torn last line) were already printed when the state was read.
  for (const e of (await ctx.ports.log.readEvents(map.log, shown, project)).value) {
    if (e.event !== 'notification.sent') continue;
    const key = addressKey(e.recipient);
    if (!sends.has(key)) sends.set(key, { recipient: e.recipient, messageId: e.message_id, at: e.ts, subject: e.subject, sha256: e.sha256 });
  }
  const results = new Map<PreparedMessage, { sent?: SentFacts; comparison: Comparison }>();
  for (const m of messages) {
    const sent = sends.get(m.delivery.key);
    const comparison: Comparison = !sent ? (closed ? 'added' : 'unsent') : !sent.sha256 ? 'unknown' : fingerprint(m.message.raw) === sent.sha256 ? 'same' : 'differs';
    results.set(m, { sent, comparison });
  }
  const today = new Set(messages.map((m) => m.delivery.key));
  return {
    of: (m) => results.get(m) ?? { comparison: 'unsent' },
    differing: messages.filter((m) => ['differs', 'added'].includes(results.get(m)!.comparison)),
    gone: [...sends].filter(([key]) => !today.has(key)).map(([, s]) => s),
  };
}
