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

/**
 * The 16 basic ANSI styles, as chalk writes them at level 1; written out because importing
 * chalk costs every command about 8 ms, a tenth of Node's own start.
 */
function ansi(color: boolean, open: number, close: number): (t: string) => string {
  if (!color) return (t) => t;
  const [o, c] = [`\x1b[${open}m`, `\x1b[${close}m`];
  // Like chalk: a style closed inside the text is opened again after it, and each line is
  // closed before its line break (a terminal or pager may start the next line unstyled).
  return (t) => (t === '' ? t : `${o}${(t.includes(c) ? t.replaceAll(c, c + o) : t).replace(/\r?\n/g, (nl) => c + nl + o)}${c}`);
}

export function createStyle(color: boolean): Style {
  const green = ansi(color, 32, 39);
  const red = ansi(color, 31, 39);
  return {
    ok: green,
    bad: red,
    warn: ansi(color, 33, 39),
    dim: ansi(color, 2, 22),
    bold: ansi(color, 1, 22),
    tick: green('✔'),
    cross: red('✖'),
  };
}
