/**
 * Typed command-line flags. Each flag is declared once, in commander's own notation; the name
 * commander gives its value (`-n, --dry-run` -> `dryRun`) and the type of that value are derived
 * from the declaration, so reading a flag that was never declared, or misspelling one, does not
 * compile.
 */
import { InvalidArgumentError, type Command } from 'commander';

export interface Flag<F extends string = string, V = unknown> {
  /** As commander takes them: '-n, --dry-run', '--since <ref>'. */
  readonly flags: F;
  readonly description: string;
  /** Turns the text given into the value; `previous` is the value so far (for repeatable flags). */
  parse?(text: string, previous: V): V;
  /** The value when the flag is not given. Said in the description when it matters, never as commander's "(default: [])". */
  readonly initial?: V;
  /** Accepted, but not listed in --help (an old spelling kept working). */
  readonly hidden?: boolean;
}

/** '-n, --dry-run' -> 'dry-run'; '--mark-sent <recipient=reason>' -> 'mark-sent'. */
type LongName<F extends string> = F extends `${string}--${infer Rest}` ? (Rest extends `${infer Name} ${string}` ? Name : Rest) : never;
/** 'mark-sent' -> 'markSent', as commander names the value. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** The values commander parses from a list of flags, by name. */
export type FlagValues<T extends readonly Flag[]> = {
  [E in T[number] as CamelCase<LongName<E['flags']>>]: E extends Flag<string, infer V> ? V : never;
};

/** A switch: true when given. */
export function toggle<F extends string>(flags: F, description: string): Flag<F, true | undefined> {
  return { flags, description };
}

/** A value, as given. */
export function text<F extends string>(flags: F, description: string): Flag<F, string | undefined> {
  return { flags, description };
}

/** A repeatable value: every one given, in order. */
export function list<F extends string>(flags: F, description: string): Flag<F, string[]> {
  return { flags, description, parse: (value, previous) => previous.concat([value]), initial: [] };
}

/** A whole number of at least 1. */
export function positive<F extends string>(flags: F, description: string): Flag<F, number | undefined> {
  return {
    flags,
    description,
    parse: (value) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${longFlag(flags)} must be a positive whole number`);
      return n;
    },
  };
}

/** One of a few words; with `initial`, never absent. */
export function choice<F extends string, C extends string>(flags: F, description: string, allowed: readonly C[]): Flag<F, C | undefined>;
export function choice<F extends string, C extends string>(flags: F, description: string, allowed: readonly C[], initial: C): Flag<F, C>;
export function choice<F extends string, C extends string>(flags: F, description: string, allowed: readonly C[], initial?: C): Flag<F, C | undefined> {
  const isAllowed = (value: string): value is C => (allowed as readonly string[]).includes(value);
  return {
    flags,
    description,
    initial,
    parse: (value) => {
      if (!isAllowed(value)) throw new InvalidArgumentError(`${longFlag(flags)} must be one of ${allowed.join(', ')}`);
      return value;
    },
  };
}

/** The same flag, accepted but not listed in --help. */
export function hidden<F extends string, V>(flag: Flag<F, V>): Flag<F, V> {
  return { ...flag, hidden: true };
}

/**
 * Declares the flags on a command, in order. Initial values are not given to commander, which
 * would print them in --help as "(default: [])": `flagValues` fills them in after parsing.
 */
export function addFlags(cmd: Command, flags: readonly Flag[]): Command {
  for (const f of flags) {
    const option = cmd.createOption(f.flags, f.description);
    if (f.parse) {
      const parse = f.parse;
      option.argParser((value, previous: unknown) => parse(value, previous === undefined ? f.initial : previous));
    }
    if (f.hidden) option.hideHelp();
    cmd.addOption(option);
  }
  return cmd;
}

/** The values of the flags as parsed, with the initial value of every flag not given. */
export function flagValues<F extends readonly Flag[]>(cmd: Command, flags: F): FlagValues<F> {
  const values: Record<string, unknown> = { ...cmd.opts() };
  for (const f of flags) {
    const name = cmd.createOption(f.flags).attributeName();
    if (values[name] === undefined && f.initial !== undefined) values[name] = Array.isArray(f.initial) ? [...f.initial] : f.initial;
  }
  return values as FlagValues<F>;
}

function longFlag(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags;
}
