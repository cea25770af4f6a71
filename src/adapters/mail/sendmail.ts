/**
 * Hand each message to the local MTA: `sendmail -i -f FROM -- RCPT`, the message on stdin with
 * Unix line endings (what local MTAs expect). Exit 0 means the MTA took the message.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OutgoingMessage, SendOutcome, Transport } from '../../domain/transport.js';
import { UsageError } from '../../errors.js';

export const DEFAULT_SENDMAIL = '/usr/sbin/sendmail';
export const HANDED_TO_MTA = 'handed to the local MTA';
/** sysexits.h EX_TEMPFAIL: the MTA asks to try again later. */
const EX_TEMPFAIL = 75;

export interface SendmailOptions {
  /** Absolute path, or a bare name looked up in PATH. */
  path: string;
  env: Record<string, string | undefined>;
}

export function createSendmailTransport(o: SendmailOptions): Transport {
  return {
    kind: 'sendmail',
    async verify() {
      if (!findExecutable(o.path, o.env.PATH ?? process.env.PATH ?? '')) {
        throw new UsageError(`sendmail transport: ${o.path} is not ${path.isAbsolute(o.path) ? 'an executable file' : 'found in PATH'}`, 'install a local MTA, or set transport.sendmail_path in the map; nothing was sent');
      }
    },
    async send(m: OutgoingMessage): Promise<SendOutcome> {
      const input = Buffer.from(m.raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      // execa loads with the first message, not with every close that could choose this transport.
      const { execa } = await import('execa');
      const r = await execa(o.path, ['-i', '-f', m.from, '--', m.to], { input, env: o.env, reject: false, stdout: 'ignore', stderr: 'pipe', timeout: 120_000 });
      if (r.exitCode === 0) return { status: 'sent', response: HANDED_TO_MTA };
      const stderr = String(r.stderr ?? '').replace(/\s+/g, ' ').trim();
      if (r.exitCode === undefined && !r.timedOut && (r as { code?: string }).code === 'ENOENT') {
        return { status: 'failed', text: `sendmail not found: ${o.path}`, permanent: true };
      }
      if (r.exitCode === undefined) {
        // Killed after it may have read the message: the MTA may or may not have queued it.
        return { status: 'unknown', text: `sendmail ${r.timedOut ? 'timed out' : `was stopped by ${r.signal ?? 'a signal'}`}${stderr ? `: ${stderr}` : ''}` };
      }
      return { status: 'failed', code: r.exitCode, text: stderr || `sendmail exited with status ${r.exitCode}`, permanent: r.exitCode !== EX_TEMPFAIL };
    },
    close() {},
  };
}

function findExecutable(file: string, searchPath: string): string | undefined {
  const candidates = path.isAbsolute(file) ? [file] : searchPath.split(path.delimiter).filter(Boolean).map((d) => path.join(d, file));
  return candidates.find((c) => {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
}
