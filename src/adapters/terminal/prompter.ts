/** The real prompter, over @inquirer/prompts (loaded only when a question is actually asked). */
import type { Separator } from '@inquirer/prompts';
import type { Choice, Prompter } from '../../context.js';
import { EXIT, NotifyError, UsageError } from '../../errors.js';

/** The terminal's input ended during a question (closed, or the session went away): a cancel, like Ctrl-C. */
export class InputEndedError extends NotifyError {
  constructor() {
    super('cancelled: the terminal input ended during a question; nothing was sent', EXIT.interrupted);
  }
}

export interface PromptStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /**
   * Aborted by Ctrl-C / SIGTERM while the run holds signals (context.ts): the question then
   * ends with inquirer's AbortPromptError, and the caller decides what to keep.
   */
  signal?: AbortSignal;
}

type Context = { input: NodeJS.ReadableStream; output?: NodeJS.WritableStream; signal: AbortSignal };

export function inquirerPrompter(streams: PromptStreams = {}): Prompter {
  const load = () => import('@inquirer/prompts');
  const input = streams.input ?? process.stdin;
  const ask = <T>(prompt: (context: Context) => Promise<T>) => askUntilInputEnds(input, streams.output, streams.signal, prompt);
  return {
    async select(message, options, initial) {
      const p = await load();
      const choices = options.map((o) => ({ value: o.value, name: o.name, description: o.description, short: o.value }));
      return ask((context) => p.select({ message, choices, default: initial, loop: false }, context));
    },
    async checkbox(message: string, choices: Choice[]) {
      const p = await load();
      const items: ({ value: string; name: string; short: string; checked?: boolean; disabled?: boolean | string } | Separator)[] = [];
      let group: string | undefined;
      for (const c of choices) {
        if (c.group && c.group !== group) items.push(new p.Separator(`── ${(group = c.group)} ──`));
        items.push({ value: c.value, name: c.name, short: c.value, checked: c.checked, disabled: c.disabled });
      }
      return ask((context) => p.checkbox<string>({ message, choices: items, pageSize: 20 }, context));
    },
    async input(message, options = {}) {
      const p = await load();
      return ask((context) => p.input({ message, default: options.default, required: options.required }, context));
    },
    async editor(message, initial) {
      const p = await load();
      return ask((context) => p.editor({ message, default: initial, waitForUserInput: false }, context));
    },
    async confirm(message, initial = true) {
      const p = await load();
      return ask((context) => p.confirm({ message, default: initial }, context));
    },
  };
}

/**
 * One question. When the input ends, @inquirer/prompts leaves the question pending forever (the
 * run would then end as a stall, an unexpected error): the question is aborted and the run cancelled instead.
 */
async function askUntilInputEnds<T>(input: NodeJS.ReadableStream, output: NodeJS.WritableStream | undefined, signal: AbortSignal | undefined, prompt: (context: Context) => Promise<T>): Promise<T> {
  const stream = input as NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean };
  if (stream.readableEnded || stream.destroyed) throw new InputEndedError();
  const controller = new AbortController();
  const onSignal = () => controller.abort(signal?.reason);
  if (signal?.aborted) onSignal();
  else signal?.addEventListener('abort', onSignal, { once: true });
  let onEnd = () => {};
  const ended = new Promise<never>((_, reject) => {
    onEnd = () => {
      reject(new InputEndedError());
      controller.abort();
    };
  });
  input.once('end', onEnd);
  input.once('close', onEnd);
  try {
    return await Promise.race([prompt({ input, output, signal: controller.signal }), ended]);
  } finally {
    input.off('end', onEnd);
    input.off('close', onEnd);
    signal?.removeEventListener('abort', onSignal);
  }
}

/** Used when nothing may be asked, so that any question is a bug in the caller's gating. */
export function refusingPrompter(): Prompter {
  const refuse = async (): Promise<never> => {
    throw new UsageError('a question was needed but there is no terminal to ask it on', 'give the answer with its flag (see --help)');
  };
  return { select: refuse, checkbox: refuse, input: refuse, editor: refuse, confirm: refuse };
}
