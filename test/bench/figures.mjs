/** The arithmetic and the layout of the bench's figures, apart from the runs that make them. */

export const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/**
 * Wall time as a fixed cost plus a cost per message, fitted through the smallest and the largest
 * close; each point between says how well the line holds ({ n, ms } points, any order).
 */
export function costLine(points) {
  const sorted = [...points].sort((a, b) => a.n - b.n);
  const lo = sorted[0];
  const hi = sorted.at(-1);
  const perMsg = (hi.ms - lo.ms) / (hi.n - lo.n);
  const fixed = lo.ms - perMsg * lo.n;
  return { fixed, perMsg, checks: sorted.slice(1, -1).map((p) => ({ n: p.n, predicted: fixed + perMsg * p.n, measured: p.ms })) };
}

export function describeLine(line) {
  const checks = line.checks.map((c) => `; at ${fmt(c.n)}: predicted ${fmt(c.predicted)} ms, measured ${fmt(c.measured)} ms`).join('');
  return `${fmt(line.fixed)} ms + ${fmt(line.perMsg, 3)} ms/msg${checks}`;
}

/** A table of rows { figure, notify, reference, ratio, target, ok }, printed as it fills. */
export class Table {
  rows = [];

  constructor(print = console.log) {
    this.print = print;
  }

  static header() {
    return `${'figure'.padEnd(44)} ${'notify'.padStart(13)}   ${'reference'.padEnd(36)} ${'ratio'.padStart(6)}  target`;
  }

  add(row) {
    this.rows.push(row);
    const ratio = row.ratio === undefined ? '' : `${fmt(row.ratio, 2)}x`;
    const target = row.target ? `${row.target}  ${row.ok ? 'ok' : 'MISSED'}` : '';
    this.print(`${row.figure.padEnd(44)} ${row.notify.padStart(13)}   ${(row.reference ?? '').padEnd(36)} ${ratio.padStart(6)}  ${target}`.trimEnd());
  }

  /** The rows with a target, as a Markdown table (for the README). */
  markdown() {
    const lines = ['| | notify | reference | ratio | target |', '| --- | --- | --- | --- | --- |'];
    for (const r of this.rows) lines.push(`| ${r.figure} | ${r.notify} | ${r.reference ?? ''} | ${r.ratio === undefined ? '' : `${fmt(r.ratio, 2)}×`} | ${r.target ?? ''} |`);
    return lines.join('\n');
  }
}
