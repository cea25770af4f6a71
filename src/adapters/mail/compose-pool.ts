/**
 * On a machine with cores to spare, a large close composes in worker threads while the main
 * thread talks SMTP and writes the log. Composing costs about as much as sending (0.2 to 0.3 ms
 * a message, in one pass since compose-mime.ts), and handing each message to a thread and back
 * costs a good part of that again: on two cores, which the sends, the log and the server share
 * already, a worker would only add that cost, so messages are composed inline there.
 * A worker runs io/compose.ts, so the bytes are the same as composing inline; if a worker
 * cannot start or dies, the messages still waiting for it are composed inline. Until a worker
 * has loaded (about 100 ms on a busy machine), messages are composed inline too: a small close
 * never waits for it.
 */
import { availableParallelism } from 'node:os';
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

/** Worker threads for a machine of `cores` cores: none on two (see above), one per core beyond two, at most four. */
export function composeWorkers(cores = availableParallelism()): number {
  return Math.max(0, Math.min(4, cores - 2));
}

type WorkerComposer = Composer & { ready: Promise<boolean> };

/**
 * `workers` threads (none: every message inline), each handed whole batches in turn. `ready`
 * resolves true once one of them composes, false if none ever will (all inline then).
 */
export function workerComposer(script = new URL('./compose-worker.js', import.meta.url), workers = composeWorkers()): WorkerComposer {
  if (workers <= 0) return { ...inlineComposer, ready: Promise.resolve(false) };
  if (workers === 1) return oneWorker(script);
  const lanes = Array.from({ length: workers }, () => oneWorker(script));
  const ready = new Promise<boolean>((resolve) => {
    let left = lanes.length;
    for (const lane of lanes) void lane.ready.then((ok) => (ok ? resolve(true) : --left === 0 && resolve(false)));
  });
  let turn = 0;
  let given = 0;
  return {
    ready,
    compose(input) {
      // A batch to one lane, the next batch to the next: each worker gets whole batches.
      if (given++ === BATCH) (given = 1), (turn = (turn + 1) % lanes.length);
      return lanes[turn].compose(input);
    },
    close() {
      for (const lane of lanes) lane.close();
    },
  };
}

function oneWorker(script: URL): WorkerComposer {
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
