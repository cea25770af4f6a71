/** The context of a real run: process streams, env, clock, prompts gated on TTY and CI. */
import type { Context, GlobalOptions } from '../context.js';
import { inquirerPrompter, refusingPrompter } from './prompter.js';
import { colorEnabled } from './style.js';

/** CI set to anything but "", "0" or "false": no prompts, no counters redrawn in place. */
export function isCI(env: Record<string, string | undefined>): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
}

export function isInteractive(env: Record<string, string | undefined>, stdinTTY: boolean, stdoutTTY: boolean, input?: boolean): boolean {
  return stdinTTY && stdoutTTY && !isCI(env) && input !== false;
}

export function createRealContext(g: GlobalOptions): Context {
  const env = process.env;
  const interactive = isInteractive(env, Boolean(process.stdin.isTTY), Boolean(process.stdout.isTTY), g.input);
  const controller = new AbortController();
  let held = 0;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    // Outside a send nothing is half-done: stop at once. A second signal forces the stop.
    if (held === 0 || controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    process.stderr.write(`\nnotify: ${signal} received: finishing the send in flight, then stopping (again to force)\n`);
    controller.abort(signal);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return {
    cwd: process.cwd(),
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive,
    tty: Boolean(process.stderr.isTTY) && !isCI(env),
    // Both streams: data piped to another program must not carry escape codes.
    color: colorEnabled(env, Boolean(process.stdout.isTTY && process.stderr.isTTY), g.color),
    quiet: Boolean(g.quiet),
    verbose: Boolean(g.verbose),
    now: () => new Date(),
    prompter: interactive ? inquirerPrompter() : refusingPrompter(),
    signal: controller.signal,
    holdSignals: () => {
      held++;
      return () => void held--;
    },
  };
}
