/** The text and HTML parts of a received message, decoded (quoted-printable or base64, CRLF as LF). */

function part(raw: string, type: 'plain' | 'html'): string {
  const m = new RegExp(`Content-Type: text/${type}[^\\r\\n]*\\r\\n(?:[^\\r\\n]+\\r\\n)*?Content-Transfer-Encoding: ([\\w-]+)\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n([\\s\\S]*?)\\r\\n--`, 'i').exec(raw);
  if (!m) throw new Error(`no text/${type} part in:\n${raw}`);
  const [, encoding, body] = m;
  let out = body;
  if (/base64/i.test(encoding)) out = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16)));
    out = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return out.replace(/\r\n/g, '\n');
}

export const textPart = (raw: string) => part(raw, 'plain');
export const htmlPart = (raw: string) => part(raw, 'html');

/** What a reader of the text part must never see: Markdown's own marks. */
export const MARKDOWN_MARKERS = /\*\*|__|\]\(|^#{1,6} |^> |^\s*[*+] |\\[*_[\]#>`-]|`/m;
