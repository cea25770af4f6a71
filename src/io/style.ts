import type { ChalkInstance } from 'chalk';

/** Colour decided once: --no-color, NO_COLOR, FORCE_COLOR, TERM=dumb, and whether the output is a TTY. */

export function colorEnabled(env: Record<string, string | undefined>, isTTY: boolean, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export interface Style {
  ok(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  tick: string;
  cross: string;
}

// chalk is loaded only when colour is on (a terminal), so piped and --json runs never pay its import.
let chalk: ChalkInstance | undefined;

/** Call once, before createStyle(true): the command wrapper does it when the context has colour. */
export async function loadColors(): Promise<void> {
  if (chalk) return;
  const { Chalk } = await import('chalk');
  chalk = new Chalk({ level: 1 });
}

const plain = (t: string) => t;

export function createStyle(color: boolean): Style {
  const c = color ? chalk : undefined;
  if (color && !c) throw new Error('internal: loadColors() must run before createStyle(true)');
  return {
    ok: c ? c.green : plain,
    bad: c ? c.red : plain,
    warn: c ? c.yellow : plain,
    dim: c ? c.dim : plain,
    bold: c ? c.bold : plain,
    tick: c ? c.green('✔') : '✔',
    cross: c ? c.red('✖') : '✖',
  };
}
