/** Ids end up in file names, headers and Message-IDs: they must be simple slugs. */

const SLUG = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype).concat(['prototype', 'constructor', '__proto__']));

export function slugProblem(id: string): string | undefined {
  if (RESERVED.has(id)) return `"${id}" is a reserved name; choose another id`;
  if (!SLUG.test(id)) return `"${id}" is not a simple id: use lower-case letters, digits, "-" and "_" (at most 64, starting and ending with a letter or digit)`;
  return undefined;
}

/**
 * How many edits a word of this length may be from the id it was meant to be: one up to four
 * characters, two up to eight, then one more for every eight more. A slip in a long hyphenated
 * id ("newsletter-printemps-2027-relance") still finds it; a short word is not "corrected" into
 * an unrelated one.
 */
export function typoLimit(length: number): number {
  if (length <= 4) return 1;
  return 2 + Math.ceil(Math.max(0, length - 8) / 8);
}

/**
 * The candidate the word was most likely meant to be, for "did you mean": the nearest by edit
 * distance (a dropped, doubled, wrong or swapped character is one edit), if it is near enough
 * for the length of the shorter of the two; on a tie, the first candidate given.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const limit = typoLimit(Math.min(w.length, c.length));
    const d = editDistance(w, c.toLowerCase(), Math.min(limit, bestScore));
    // A word of one character is "one edit" from any other.
    if (d <= limit && d < bestScore && d < w.length) {
      bestScore = d;
      best = c;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c ? ` (did you mean "${c}"?)` : '';
}

/**
 * Damerau-Levenshtein distance in its optimal string alignment form: insertions, deletions,
 * substitutions and swaps of two adjacent characters each count one. Past `cap` the exact
 * value does not matter: anything over it is returned as cap + 1.
 */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > cap) return cap + 1;
    [before, prev, row] = [prev, row, before];
  }
  return Math.min(prev[b.length], cap + 1);
}
