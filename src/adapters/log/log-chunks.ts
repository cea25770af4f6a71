/** Reading a log file line by line in 64 KiB chunks, with each line's byte offsets. */
import fs from 'node:fs';

// Small enough that each decoded chunk is a young-generation string, not a large object that lingers.
const CHUNK = 64 * 1024;

/** Called for each line: text[from, to) is the line; start and end are its byte offsets in the file. */
export type LineFn = (text: string, from: number, to: number, start: number, end: number, complete: boolean) => void;

/**
 * Lines of [from, to) of a file, read in 64 KiB chunks, each chunk decoded at once (a newline
 * never falls inside a UTF-8 sequence). `end` is the byte offset after the line's newline.
 */
export function eachLine(fd: number, from: number, to: number, fn: LineFn): void {
  let buf = Buffer.allocUnsafe(CHUNK);
  let carry = 0; // bytes of an unfinished line at the start of buf
  let pos = from; // file offset of buf[0]
  while (pos + carry < to) {
    if (carry === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
      buf.copy(bigger, 0, 0, carry);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, carry, Math.min(buf.length - carry, to - pos - carry), pos + carry);
    if (n === 0) break;
    const filled = carry + n;
    const lastNl = buf.lastIndexOf(0x0a, filled - 1);
    if (lastNl < 0) {
      carry = filled;
      continue;
    }
    const text = buf.toString('utf8', 0, lastNl);
    const ascii = text.length === lastNl;
    let at = pos;
    let i = 0;
    for (;;) {
      const nl = text.indexOf('\n', i);
      const stop = nl < 0 ? text.length : nl;
      const end = ascii ? pos + stop + 1 : at + Buffer.byteLength(text.slice(i, stop)) + 1;
      fn(text, i, stop, at, end, true);
      at = end;
      if (nl < 0) break;
      i = nl + 1;
    }
    buf.copy(buf, 0, lastNl + 1, filled);
    carry = filled - lastNl - 1;
    pos += lastNl + 1;
  }
  if (carry > 0) {
    const text = buf.toString('utf8', 0, carry);
    fn(text, 0, text.length, pos, pos + carry, false);
  }
}
