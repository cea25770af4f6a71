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

const plain = (t: string) => t;

/** No colour: the style of piped, --json and NO_COLOR runs. */
export const plainStyle: Style = { ok: plain, bad: plain, warn: plain, dim: plain, bold: plain, tick: '✔', cross: '✖' };

/** The style of a run, decided once; chalk is loaded only when colour is on (a terminal). */
export async function loadStyle(color: boolean): Promise<Style> {
  if (!color) return plainStyle;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { ok: c.green, bad: c.red, warn: c.yellow, dim: c.dim, bold: c.bold, tick: c.green('✔'), cross: c.red('✖') };
}
