/** Worker thread entry: composes batches of messages with io/compose.ts, the same code as inline. */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { composeMessage, type ComposeInput } from './compose.js';

export interface ComposeRequest {
  id: number;
  input: ComposeInput;
}

export type ComposeReply = { id: number; raw: Uint8Array } | { id: number; error: string };

// Loaded and ready: until this message, the main thread composes inline instead of waiting.
if (parentPort) serve(parentPort);

function serve(port: MessagePort): void {
  port.postMessage('ready');
  port.on('message', async (batch: ComposeRequest[]) => {
    const out: ComposeReply[] = [];
    const moved: ArrayBuffer[] = [];
    for (const { id, input } of batch) {
      try {
        // A copy of its own size: a small Buffer is a view on a shared 8 KB slab.
        const raw = new Uint8Array(await composeMessage(input));
        moved.push(raw.buffer);
        out.push({ id, raw });
      } catch (err) {
        out.push({ id, error: (err as Error).message });
      }
    }
    port.postMessage(out, moved);
  });
}
