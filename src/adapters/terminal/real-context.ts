/** The context of a real run: process streams, env, clock, prompts gated on TTY and CI. */
import type { Context, GlobalOptions } from '../../context.js';
import { inquirerPrompter, refusingPrompter } from './prompter.js';
import { colorEnabled, plainStyle } from './style.js';
import { realPorts } from '../real-ports.js';

/** CI set to anything but "", "0" or "false": no prompts, no counters redrawn in place. */
export function isCI(env: Record<string, string | undefined>): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
}

export function isInteractive(env: Record<string, string | undefined>, stdinTTY: boolean, stdoutTTY: boolean, input?: boolean): boolean {
  return stdinTTY && stdoutTTY && !isCI(env) && input !== false;
}

/** What main.ts gives the context: the signal it aborts, and how a send asks to finish first. */
export interface SignalState {
  signal: AbortSignal;
  holdSignals(what?: string): () => void;
}

export function createRealContext(g: GlobalOptions, signals: SignalState): Context {
  const env = process.env;
  const interactive = isInteractive(env, Boolean(process.stdin.isTTY), Boolean(process.stdout.isTTY), g.input);
  return {
    cwd: process.cwd(),
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    interactive,
    tty: Boolean(process.stderr.isTTY) && !isCI(env),
    // Both streams: data piped to another program must not carry escape codes.
    color: colorEnabled(env, Boolean(process.stdout.isTTY && process.stderr.isTTY), g.color),
    // Upgraded to colours by the command wrapper, which loads chalk only when colour is on.
    style: plainStyle,
    quiet: Boolean(g.quiet),
    verbose: Boolean(g.verbose),
    now: () => new Date(),
    prompter: interactive ? inquirerPrompter({ signal: signals.signal }) : refusingPrompter(),
    signal: signals.signal,
    holdSignals: signals.holdSignals,
    ports: realPorts(),
  };
}
