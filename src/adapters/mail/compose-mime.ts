/**
 * The bytes of a compiled MIME tree, built in one synchronous pass. nodemailer's own build()
 * runs a stream pipeline per message (a PassThrough per part, an encoder stream, AbortSignals,
 * setImmediate hops): most of the CPU a close spends composing. Here nodemailer's MimeNode still
 * builds every header (encoded words, folding, boundaries) and its qp and base64 modules encode
 * every body; only the plumbing between them is gone. Anything the one pass would not reproduce
 * byte for byte (a stream or a file as content, a transform, a raw node, a body the encoder
 * would see in slices) makes it return undefined, and the caller builds with node.build().
 */
import type MimeNode from 'nodemailer/lib/mime-node';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { encode as base64Encode } from 'nodemailer/lib/base64';

/** What MimeNode keeps privately and the streamed build would act on. */
interface Internals {
  _raw?: unknown;
  _transforms?: unknown[];
  _processFuncs?: unknown[];
}

/** nodemailer's qp encoder works on 64 KB slices; one slice is one call of encode + wrap. */
const QP_SLICE = 64 * 1024;
const LINE = 76;

/** The message as a string of the streamed build's characters, or undefined when only node.build() can build it. */
export function buildMime(root: MimeNode): string | undefined {
  const internals = root as MimeNode & Internals;
  if (internals._transforms?.length || internals._processFuncs?.length || root.newline || !plain(root)) return undefined;
  const parts: string[] = [];
  write(root, parts);
  const out = parts.join('');
  // What nodemailer's LastNewline stream ensures at the end.
  return out.endsWith('\n') ? out : out.endsWith('\r') ? `${out}\n` : `${out}\r\n`;
}

/** Every node a header block and, at most, a string the encoders see whole. */
function plain(node: MimeNode): boolean {
  if ((node as MimeNode & Internals)._raw) return false;
  const content = node.content;
  if (content !== undefined && typeof content !== 'string') return false;
  if (content) {
    const encoding = node.getTransferEncoding();
    if (encoding === 'quoted-printable') {
      // The encoder holds back trailing blanks and encodes them in a second call; binary mode
      // (any type but text/*) treats line breaks otherwise. Both are left to the streamed build.
      if (/[ \t]$/.test(content) || Buffer.byteLength(content, 'utf8') > QP_SLICE) return false;
      if (!/^text\//i.test(String(node.getHeader('Content-Type') ?? ''))) return false;
    } else if (encoding !== 'base64' && encoding !== '7bit' && encoding !== false) return false;
  }
  return node.childNodes.every(plain);
}

/** The order of MimeNode.stream(): headers, the content, then each child between boundaries. */
function write(node: MimeNode, parts: string[]): void {
  const encoding = node.getTransferEncoding();
  parts.push(node.buildHeaders(), '\r\n\r\n');
  const content = node.content as string | undefined;
  if (content) {
    if (encoding === 'quoted-printable') parts.push(qpWrap(qpEncode(content), LINE));
    else if (encoding === 'base64') parts.push(base64Lines(base64Encode(content)));
    else parts.push(content);
  }
  if (!node.multipart) return;
  node.childNodes.forEach((child, i) => {
    parts.push(`${i > 0 ? '\r\n' : ''}--${String(node.boundary)}\r\n`);
    write(child, parts);
  });
  parts.push(`\r\n--${String(node.boundary)}--\r\n`);
}

/** As nodemailer's base64 encoder stream writes one chunk: lines of 76, CRLF between, none after the last. */
function base64Lines(b64: string): string {
  if (b64.length <= LINE) return b64;
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return lines.join('\r\n');
}
