/** The header block of a composed message, unfolded and with encoded words decoded, for people to read. */

export function headerBlock(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  return raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
}

/** [name, value] pairs in message order; structural MIME headers are left out. */
export function readableHeaders(raw: Buffer): [string, string][] {
  const unfolded = headerBlock(raw).replace(/\r\n[ \t]+/g, ' ');
  return unfolded
    .split('\r\n')
    .map((line): [string, string] => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), decodeWords(line.slice(colon + 1).trim())];
    })
    .filter(([name]) => name && !/^(MIME-Version|Content-Type|Content-Transfer-Encoding)$/i.test(name))
    .sort(([a], [b]) => rank(a) - rank(b));
}

const FIRST = ['from', 'to', 'reply-to', 'subject', 'date', 'message-id'];

function rank(name: string): number {
  const i = FIRST.indexOf(name.toLowerCase());
  return i < 0 ? FIRST.length : i;
}

/** RFC 2047 encoded words in UTF-8 (B or Q), as nodemailer writes them. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, text: string) => {
      const bytes = enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return bytes.toString('utf8');
    });
}
