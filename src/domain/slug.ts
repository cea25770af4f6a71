/** Ids end up in file names, headers and Message-IDs: they must be simple slugs. */

const SLUG = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype).concat(['prototype', 'constructor', '__proto__']));

export function slugProblem(id: string): string | undefined {
  if (RESERVED.has(id)) return `"${id}" is a reserved name; choose another id`;
  if (!SLUG.test(id)) return `"${id}" is not a simple id: use lower-case letters, digits, "-" and "_" (at most 64, starting and ending with a letter or digit)`;
  return undefined;
}

/** The closest candidate, for "did you mean". */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c ? ` (did you mean "${c}"?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
