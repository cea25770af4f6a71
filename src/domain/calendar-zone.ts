/**
 * Wall-clock time in an IANA time zone, with Node's own Intl: a wall time is kept as the
 * milliseconds of the same reading in UTC ("2027-01-02 09:00" -> Date.UTC(2027, 0, 2, 9)), so
 * calendar arithmetic on it is plain integer arithmetic, and only the edges convert.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    formats.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (an IANA name such as Europe/Paris, or UTC). */
export function isTimeZone(name: string): boolean {
  try {
    formatFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall reading of an instant in a zone. */
export function wallOf(instant: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatFor(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const ms = ((instant % 1000) + 1000) % 1000;
  // Years 0-99 never occur here: parseWall accepts only four-digit years from 1000.
  return Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second), ms);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The instant a wall reading names. Twice-read readings (clocks turned back) give the earlier
 * instant; a reading skipped by clocks turned forward gives the instant the clocks jumped, so
 * that a later reading never names an earlier instant.
 */
export function instantOf(wall: number, timeZone: string): number {
  const offBefore = wallOf(wall - DAY, timeZone) - (wall - DAY);
  const offAfter = wallOf(wall + DAY, timeZone) - (wall + DAY);
  const candidates = [wall - offBefore, wall - offAfter].sort((a, b) => a - b);
  for (const c of candidates) if (wallOf(c, timeZone) === wall) return c;
  // In a gap: the first instant whose reading is at or after `wall`.
  let lo = Math.min(...candidates) - DAY;
  let hi = Math.max(...candidates) + DAY;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2 / 1000) * 1000;
    if (wallOf(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** "2027-01-02" or "2027-01-02T09:00" (seconds allowed) as a wall reading; undefined if not such a value. */
export function parseWall(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m || m[1] < '1000') return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return wall;
}

/** "2027-01-02" of a wall reading. */
export function dateOf(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

/** An instant written with the zone's offset: 2027-01-05T18:00:00+01:00. */
export function isoInZone(instant: number, timeZone: string): string {
  const wall = wallOf(instant, timeZone);
  const off = Math.round((wall - instant) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${new Date(wall).toISOString().slice(0, 19)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}
