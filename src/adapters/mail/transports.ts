/** Which transport a close uses: --transport, else the map's transport.kind, else SMTP. */
import path from 'node:path';
import { DEFAULT_OUTBOX, TRANSPORT_KINDS } from '../../config/parse-transport.js';
import type { StakeholderMap, TransportKind } from '../../domain/map.js';
import { UsageError } from '../../errors.js';
import type { ChosenTransport, TransportFlags } from '../../ports.js';
import { createFileTransport } from './file-transport.js';
import { createSendmailTransport, DEFAULT_SENDMAIL } from './sendmail.js';
import { createSmtpTransport, smtpOptions } from './smtp.js';

export type { ChosenTransport, TransportFlags };

/** Settles every setting (and reads the SMTP password) now, so a mistake stops the close before it asks anything. */
export async function chooseTransport(map: StakeholderMap, env: Record<string, string | undefined>, cwd: string, f: TransportFlags): Promise<ChosenTransport> {
  if (f.transport !== undefined && !TRANSPORT_KINDS.includes(f.transport as TransportKind)) {
    throw new UsageError(`--transport ${f.transport}: choose one of ${TRANSPORT_KINDS.join(', ')}`);
  }
  const kind = (f.transport as TransportKind | undefined) ?? map.transport?.kind ?? 'smtp';
  if (kind === 'sendmail') {
    const configured = map.transport?.sendmailPath ?? DEFAULT_SENDMAIL;
    const bin = configured.includes('/') || configured.includes('\\') ? path.resolve(map.dir, configured) : configured;
    return { kind, concurrency: f.concurrency ?? 1, create: async () => createSendmailTransport({ path: bin, env }) };
  }
  if (kind === 'file') {
    const dir = map.transport?.dir ?? path.join(map.dir, DEFAULT_OUTBOX);
    // The log names the outbox relative to the map, whatever folder close ran from.
    return { kind, concurrency: f.concurrency ?? 1, create: async () => createFileTransport(dir, path.relative(map.dir, dir) || '.') };
  }
  const smtp = await smtpOptions(map, env, f.concurrency, cwd);
  if (!smtp) {
    throw new UsageError('no SMTP server is configured', 'set NOTIFY_SMTP_URL=smtp://user:pass@host:587, or smtp.url in the map, or choose transport: { kind: sendmail } or { kind: file }; or try --dry-run to see what would be sent');
  }
  return { kind, concurrency: smtp.maxConnections, create: () => createSmtpTransport(smtp) };
}
