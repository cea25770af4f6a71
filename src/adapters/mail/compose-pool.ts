/**
 * Composing a message costs more CPU than sending it (nodemailer's MIME streams), so a large
 * close composes in a worker thread while the main thread talks SMTP and writes the log.
 * The worker runs io/compose.ts, so the bytes are the same as composing inline; if the worker
 * cannot start or dies, the messages still waiting are composed inline. Until the worker has
 * loaded (about 100 ms on a busy machine), messages are composed inline too: a small close
 * never waits for it.
 */
import { Worker } from 'node:worker_threads';
import { composeMessage, type ComposeInput } from './compose.js';
import type { ComposeReply, ComposeRequest } from './compose-worker.js';
import type { Composer } from '../../ports.js';

/** Messages per postMessage: enough to make the hand-over cheap, few enough to start early. */
const BATCH = 32;

interface Waiting {
  input: ComposeInput;
  resolve: (raw: Buffer) => void;
  reject: (err: Error) => void;
}

export type { Composer };

export const inlineComposer: Composer = { compose: composeMessage, close: () => undefined };

/** `ready` resolves true once the worker composes, false if it never will (all inline then). */
export function workerComposer(script = new URL('./compose-worker.js', import.meta.url)): Composer & { ready: Promise<boolean> } {
  const worker = startWorker(script);
  if (!worker) return { ...inlineComposer, ready: Promise.resolve(false) };
  let settleReady: (ok: boolean) => void = () => undefined;
  const readyPromise = new Promise<boolean>((resolve) => (settleReady = resolve));
  const queued: ComposeRequest[] = [];
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let scheduled = false;
  let broken = false;
  let ready = false;

  const inline = (w: Waiting) => composeMessage(w.input).then(w.resolve, w.reject);
  const fallBack = () => {
    if (broken) return;
    broken = true;
    settleReady(false);
    void worker.terminate();
    queued.length = 0;
    for (const w of waiting.values()) inline(w);
    waiting.clear();
  };
  const flush = () => {
    scheduled = false;
    while (queued.length > 0) worker.postMessage(queued.splice(0, BATCH));
  };
  worker.on('message', (replies: ComposeReply[] | 'ready') => {
    if (replies === 'ready') return void ((ready = !broken), settleReady(ready));
    for (const r of replies) {
      const w = waiting.get(r.id);
      if (!w) continue;
      waiting.delete(r.id);
      if ('error' in r) w.reject(new Error(r.error));
      else w.resolve(Buffer.from(r.raw.buffer, r.raw.byteOffset, r.raw.byteLength));
    }
  });
  worker.on('error', fallBack);
  worker.on('exit', fallBack);

  return {
    ready: readyPromise,
    compose(input) {
      return new Promise<Buffer>((resolve, reject) => {
        if (broken || !ready) return void inline({ input, resolve, reject });
        const id = nextId++;
        waiting.set(id, { input, resolve, reject });
        queued.push({ id, input });
        if (queued.length >= BATCH) flush();
        else if (!scheduled) (scheduled = true), setImmediate(flush);
      });
    },
    close() {
      broken = true;
      settleReady(false);
      void worker.terminate();
      for (const w of waiting.values()) w.reject(new Error('composer closed'));
      waiting.clear();
    },
  };
}

function startWorker(script: URL): Worker | undefined {
  try {
    // It holds a batch or two of messages at a time: a small heap keeps the close's memory down.
    return new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } });
  } catch {
    return undefined;
  }
}
