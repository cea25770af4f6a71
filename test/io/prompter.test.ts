/**
 * The real prompter over streams in place of a terminal: when the input ends during a question
 * (the terminal closed), the question is a cancel, exit 130, never a stalled run or "report it".
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inquirerPrompter, InputEndedError } from '../../src/adapters/terminal/prompter.js';
import { workspace } from '../fixtures/close-workspace.js';

/** A terminal stand-in: what the prompt writes is read and dropped. */
function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  return { input, output, prompter: inquirerPrompter({ input, output }) };
}

/** The outcome of `question`, or "still waiting" if it has not settled within `ms` (the old hang). */
async function settled<T>(question: Promise<T>, ms = 5000): Promise<{ value?: T; error?: unknown } | 'still waiting'> {
  const timer = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms).unref());
  return Promise.race([question.then((value) => ({ value }), (error: unknown) => ({ error })), timer]);
}

describe('the terminal input ends during a question', () => {
  it.each(['confirm', 'input', 'checkbox'] as const)('%s: the question is cancelled with exit 130', async (kind) => {
    const { input, prompter } = terminal();
    const question: Promise<unknown> =
      kind === 'confirm' ? prompter.confirm('Send 3 messages now?') : kind === 'input' ? prompter.input('Summary?') : prompter.checkbox('Who?', [{ value: 'a', name: 'A' }]);
    input.end();
    const outcome = await settled(question);
    expect(outcome).not.toBe('still waiting');
    const { error } = outcome as { error?: unknown };
    expect(error).toBeInstanceOf(InputEndedError);
    expect((error as InputEndedError).exitCode).toBe(130);
  });

  it('an input that has already ended: cancelled before anything is asked', async () => {
    const { input, prompter } = terminal();
    input.end();
    input.resume();
    await new Promise((resolve) => input.once('end', resolve));
    await expect(prompter.confirm('Send?')).rejects.toBeInstanceOf(InputEndedError);
  });

  it('an answer given before the end is kept', async () => {
    const { input, prompter } = terminal();
    const question = prompter.input('Summary?');
    input.write('Prices are new\r');
    expect(await question).toBe('Prices are new');
  });

  it('a close whose terminal ends at a question says "cancelled", exit 130, nothing sent or recorded, no "report it"', async () => {
    const ws = await workspace();
    try {
      const { input, prompter } = terminal();
      const running = ws.run(['close', 'promo'], { interactive: true, prompter });
      input.end();
      const outcome = await settled(running);
      expect(outcome).not.toBe('still waiting');
      const r = (outcome as { value: Awaited<typeof running> }).value;
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toContain('notify: cancelled: the terminal input ended during a question; nothing was sent');
      expect(r.stderr).not.toMatch(/unexpected|report it/);
      expect(ws.smtp.received).toHaveLength(0);
      expect(ws.events()).toEqual([]);
    } finally {
      await ws.close();
    }
  });
});
