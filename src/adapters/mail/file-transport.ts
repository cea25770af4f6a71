/**
 * Write each message as an .eml file into an outbox directory. Each file is written under a
 * temporary name in the same directory, fsynced, renamed, and the directory fsynced: a file
 * with the final name is always complete.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { OutgoingMessage, SendOutcome, Transport } from '../../domain/transport.js';
import { UsageError } from '../../errors.js';

const TRANSIENT = new Set(['ENOSPC', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR']);

export function createFileTransport(dir: string, shownDir = dir): Transport {
  return {
    kind: 'file',
    async verify() {
      try {
        fs.mkdirSync(dir, { recursive: true });
        fs.accessSync(dir, fs.constants.W_OK);
      } catch (err) {
        throw new UsageError(`file transport: the outbox ${shownDir} cannot be written (${(err as NodeJS.ErrnoException).code})`, 'choose another transport.dir or fix its permissions; nothing was sent');
      }
    },
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      const file = path.join(dir, emlName(m));
      try {
        await writeFileAtomic(file, m.raw);
        return { status: 'sent', response: `written to ${path.join(shownDir, path.basename(file))}` };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        return { status: 'failed', text: `cannot write ${path.basename(file)} in ${shownDir} (${code})`, permanent: !TRANSIENT.has(code) };
      }
    },
    close() {},
  };
}

/** The file is named after the Message-ID, so a resend replaces the same file. */
export function emlName(m: OutgoingMessage): string {
  const head = m.raw.subarray(0, Math.max(0, m.raw.indexOf('\r\n\r\n'))).toString('latin1');
  const id = /^Message-ID:\s*<([^>\r\n]+)>/im.exec(head)?.[1] ?? `${Date.now()}.${m.to}`;
  return `${safeFileName(id)}.eml`;
}

export function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9@._+-]/g, '_').replace(/^\.+/, '_').slice(0, 200);
}

/** Temp file in the same directory, fsync, rename, fsync the directory; no partial file is left. */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const d = await fs.promises.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
