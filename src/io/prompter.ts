/** The real prompter, over @inquirer/prompts (loaded only when a question is actually asked). */
import type { Choice, Prompter } from '../context.js';
import { UsageError } from '../errors.js';

export function inquirerPrompter(): Prompter {
  const load = () => import('@inquirer/prompts');
  return {
    async checkbox(message: string, choices: Choice[]) {
      const p = await load();
      const items: any[] = [];
      let group: string | undefined;
      for (const c of choices) {
        if (c.group && c.group !== group) items.push(new p.Separator(`── ${(group = c.group)} ──`));
        items.push({ value: c.value, name: c.name, short: c.value, checked: c.checked, disabled: c.disabled });
      }
      return p.checkbox({ message, choices: items, pageSize: 20 });
    },
    async input(message, options = {}) {
      const p = await load();
      return p.input({ message, default: options.default, required: options.required });
    },
    async editor(message, initial) {
      const p = await load();
      return p.editor({ message, default: initial, waitForUserInput: false });
    },
    async confirm(message, initial = true) {
      const p = await load();
      return p.confirm({ message, default: initial });
    },
  };
}

/** Used when nothing may be asked: any question is a bug in the caller's gating. */
export function refusingPrompter(): Prompter {
  const refuse = async (): Promise<never> => {
    throw new UsageError('a question was needed but there is no terminal to ask it on', 'give the answer with its flag (see --help)');
  };
  return { checkbox: refuse, input: refuse, editor: refuse, confirm: refuse };
}
