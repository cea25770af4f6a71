/**
 * Carry out the sends of a close: write-ahead attempt line, send, result line. A recipient
 * counts as notified only once its `notification.sent` line is on disk.
 */
import type { NewEvent } from './events.js';
import type { Delivery } from './plan.js';
import type { OutgoingMessage, SendOutcome, Transport } from './transport.js';

export interface EventSink {
  append(event: NewEvent): Promise<unknown>;
}

export interface Prepared {
  delivery: Delivery;
  message: OutgoingMessage;
}

export interface ExecuteOptions {
  project: string;
  concurrency: number;
  /** Delays before each retry of a 4xx reply; its length is the number of retries. */
  retryDelaysMs: number[];
  signal: AbortSignal;
  onResult?: (p: Prepared, outcome: SendOutcome) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface ExecuteResult {
  sent: number;
  failed: number;
  unknown: number;
  /** True when a signal stopped the run before every delivery was tried. */
  interrupted: boolean;
}

export async function executeDeliveries(items: Prepared[], transport: Transport, log: EventSink, o: ExecuteOptions): Promise<ExecuteResult> {
  const result: ExecuteResult = { sent: 0, failed: 0, unknown: 0, interrupted: false };
  const sleep = o.sleep ?? defaultSleep;
  let next = 0;
  // Once one worker fails (the log could not be written), the others start nothing new.
  let broken = false;
  const worker = async () => {
    while (next < items.length && !broken) {
      if (o.signal.aborted) {
        result.interrupted = true;
        return;
      }
      const item = items[next++];
      let outcome: SendOutcome;
      try {
        outcome = await deliverOne(item, transport, log, o, sleep);
      } catch (err) {
        broken = true;
        throw err;
      }
      result[outcome.status]++;
      o.onResult?.(item, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, items.length)) }, worker));
  return result;
}

async function deliverOne(item: Prepared, transport: Transport, log: EventSink, o: ExecuteOptions, sleep: NonNullable<ExecuteOptions['sleep']>): Promise<SendOutcome> {
  const { delivery } = item;
  const who = { project: o.project, recipient: delivery.to.address, parties: delivery.parties, message_id: delivery.messageId };
  for (let attempt = 0; ; attempt++) {
    // If this line cannot be made durable, append rejects and nothing is sent.
    await log.append({ event: 'notification.attempt', ...who });
    const outcome = await transport.send(item.message);
    if (outcome.status === 'sent') {
      await log.append({ event: 'notification.sent', ...who, response: outcome.response, via: transport.kind === 'dry-run' ? undefined : transport.kind });
      return outcome;
    }
    if (outcome.status === 'unknown') {
      await log.append({ event: 'notification.unknown', ...who, text: outcome.text });
      return outcome;
    }
    await log.append({ event: 'notification.failed', ...who, code: outcome.code, text: outcome.text, permanent: outcome.permanent });
    const delay = o.retryDelaysMs[attempt];
    if (outcome.permanent || delay === undefined || o.signal.aborted) return outcome;
    await sleep(delay, o.signal);
    // A signal during the wait: no new attempt.
    if (o.signal.aborted) return outcome;
  }
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
