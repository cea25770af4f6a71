/**
 * Carry out the sends of a close: write-ahead attempt line, send, result line. A recipient
 * counts as notified only once its `notification.sent` line is on disk.
 */
import type { NewEvent } from './events.js';
import { evenPacer, type Pacer } from './pacer.js';
import type { Delivery } from './deliveries.js';
import type { OutgoingMessage, SendOutcome, Transport } from './transport.js';
import { fingerprint } from './fingerprint.js';

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
  /** Builds each message just before its first attempt line, instead of using item.message. */
  build?: (p: Prepared) => Promise<OutgoingMessage>;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * The fencing check, asked before each attempt line and again just before each send: a reason
   * when this run may no longer send (its lock or its log is no longer its own). No send starts then.
   */
  fence?: () => string | undefined;
  /** The clock the pace of a transport with a rate is kept by; a test passes a fake one with `sleep`. */
  now?: () => number;
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
  // Paced before the attempt line: a send waiting for its turn has not been attempted, so a
  // signal meanwhile leaves nothing half-done.
  const pacer = transport.ratePerSecond ? evenPacer(transport.ratePerSecond, o.now ?? (() => performance.now()), sleep) : undefined;
  let next = 0;
  // Once one worker fails (the log could not be written), the others start nothing new.
  let broken = false;
  const worker = async () => {
    // A send's result line and the next attempt line share one fsync (the log group-commits
    // what is queued together): the result counts once its line is on disk, and the next send
    // starts only once its attempt line is, which is after the previous result line.
    let done: { item: Prepared; outcome: SendOutcome; recorded: Promise<unknown> } | undefined;
    const settle = async () => {
      if (!done) return;
      const { item, outcome, recorded } = done;
      done = undefined;
      await recorded;
      result[outcome.status]++;
      o.onResult?.(item, outcome);
    };
    try {
      while (next < items.length && !broken) {
        if (pacer) await pacer.wait(o.signal);
        if (o.signal.aborted || o.fence?.()) {
          result.interrupted = true;
          break;
        }
        // Another worker may have taken the last item (or failed) during the wait.
        if (next >= items.length || broken) break;
        const item = items[next++];
        const run = deliverOne(item, transport, log, o, sleep, pacer);
        run.catch(() => undefined); // awaited below; settle may throw first
        await settle();
        done = { item, ...(await run) };
        done.recorded.catch(() => undefined); // awaited by settle
      }
      await settle();
    } catch (err) {
      broken = true;
      throw err;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, items.length)) }, worker));
  return result;
}

/** Returns once the result line is queued; `recorded` resolves once it is on disk. */
async function deliverOne(item: Prepared, transport: Transport, log: EventSink, o: ExecuteOptions, sleep: NonNullable<ExecuteOptions['sleep']>, pacer: Pacer | undefined): Promise<{ outcome: SendOutcome; recorded: Promise<unknown> }> {
  const { delivery } = item;
  const who = { project: o.project, recipient: delivery.to.address, parties: delivery.parties, message_id: delivery.messageId };
  // Built before the attempt line: a message that cannot be built is never attempted.
  const message = o.build ? await o.build(item) : item.message;
  for (let attempt = 0; ; attempt++) {
    // If this line cannot be made durable, append rejects and nothing is sent.
    await log.append({ event: 'notification.attempt', ...who });
    const fenced = o.fence?.();
    // Lost while the attempt line was written: the attempt is closed as not sent, honestly.
    if (fenced) return { outcome: { status: 'failed', text: `not sent: ${fenced}`, permanent: false }, recorded: log.append({ event: 'notification.failed', ...who, text: `not sent: ${fenced}`, permanent: false }) };
    const outcome = await transport.send(message);
    if (outcome.status === 'sent') {
      const what = message.subject === undefined ? {} : { subject: message.subject, sha256: fingerprint(message.raw) };
      return { outcome, recorded: log.append({ event: 'notification.sent', ...who, response: outcome.response, via: transport.kind === 'dry-run' ? undefined : transport.kind, ...what }) };
    }
    if (outcome.status === 'unknown') {
      return { outcome, recorded: log.append({ event: 'notification.unknown', ...who, text: outcome.text }) };
    }
    const recorded = log.append({ event: 'notification.failed', ...who, code: outcome.code, text: outcome.text, permanent: outcome.permanent });
    const delay = o.retryDelaysMs[attempt];
    if (outcome.permanent || delay === undefined || o.signal.aborted) return { outcome, recorded };
    await recorded;
    await sleep(delay, o.signal);
    // A retry is a send start like any other.
    if (pacer) await pacer.wait(o.signal);
    // A signal during the wait: no new attempt.
    if (o.signal.aborted) return { outcome, recorded };
  }
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
