/** What a command may use of the world. main.ts builds the real one; tests pass their own. */
import type { Ports } from './ports.js';
import type { Style } from './adapters/terminal/style.js';

export interface Writer {
  write(text: string): void;
}

export interface Choice<T extends string = string> {
  value: T;
  name: string;
  checked?: boolean;
  disabled?: boolean | string;
  group?: string;
}

/** One answer of a select: the value returned, the label shown, and a line shown under the list while it is highlighted. */
export interface Option<T extends string = string> {
  value: T;
  name: string;
  description?: string;
}

/** Every question notify asks goes through this interface. */
export interface Prompter {
  /** One answer among `options`; `initial` is highlighted first (what Enter picks). */
  select<T extends string>(message: string, options: Option<T>[], initial?: T): Promise<T>;
  checkbox(message: string, choices: Choice[]): Promise<string[]>;
  input(message: string, options?: { default?: string; required?: boolean }): Promise<string>;
  editor(message: string, initial?: string): Promise<string>;
  confirm(message: string, initial?: boolean): Promise<boolean>;
}

export interface Context {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Writer;
  stderr: Writer;
  /** stdin and stdout are terminals, CI is unset and --no-input was not given. */
  interactive: boolean;
  /** stderr is a terminal (spinners and bars only then). */
  tty: boolean;
  color: boolean;
  /** Colours and marks for people's output, decided once from \`color\`. */
  style: Style;
  quiet: boolean;
  verbose: boolean;
  now(): Date;
  prompter: Prompter;
  /** Aborted on SIGINT / SIGTERM while signals are held; the reason is the signal name. */
  signal: AbortSignal;
  /**
   * From now until the returned function is called, a signal stops the run gracefully instead of
   * at once; `what` says what is done first (default "finishing the send in flight").
   */
  holdSignals(what?: string): () => void;
  /** The map, the log, its lock, the transports and the composer. */
  ports: Ports;
}

export interface GlobalOptions {
  config?: string;
  log?: string;
  color?: boolean;
  input?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}
