/** The map's transport: block: smtp (default), sendmail (the local MTA) or file (an outbox directory). */
import path from 'node:path';
import type { TransportKind, TransportSettings } from '../domain/map.js';
import { didYouMean } from '../domain/slug.js';
import { entries, str, type Entry } from './fields.js';
import type { YamlSource } from './yaml-source.js';
import { DEFAULT_OUTBOX, TRANSPORT_KINDS } from './transport-kinds.js';

export const TRANSPORT_KEYS = ['kind', 'sendmail_path', 'dir'] as const;
export { DEFAULT_OUTBOX, TRANSPORT_KINDS } from './transport-kinds.js';

export function parseTransport(src: YamlSource, e: Entry, dir: string): TransportSettings | undefined {
  let kind: TransportKind | undefined;
  let kindGiven = false;
  const t: Partial<TransportSettings> = { pos: src.pos(e.key) };
  for (const f of entries(src, e.value, 'transport', TRANSPORT_KEYS)) {
    if (f.name === 'kind') {
      kindGiven = true;
      const k = str(src, f.value, 'transport.kind');
      if (k && !TRANSPORT_KINDS.includes(k as TransportKind)) src.error(f.value, `transport.kind "${k}" is not one of ${TRANSPORT_KINDS.join(', ')}${didYouMean(k, TRANSPORT_KINDS)}`);
      else kind = k as TransportKind | undefined;
    } else if (f.name === 'sendmail_path') {
      t.sendmailPath = str(src, f.value, 'transport.sendmail_path');
    } else if (f.name === 'dir') {
      const d = str(src, f.value, 'transport.dir');
      if (!d) continue;
      const abs = path.resolve(dir, d);
      if (path.isAbsolute(d) || abs === dir || path.relative(dir, abs).startsWith('..')) {
        src.error(f.value, `transport.dir "${d}" must be a relative path to a folder inside the map's directory (e.g. ${DEFAULT_OUTBOX})`);
      } else t.dir = abs;
    }
  }
  if (!kind) {
    if (!kindGiven) src.error(e.key, `transport needs a kind: one of ${TRANSPORT_KINDS.join(', ')}`);
    return undefined;
  }
  return { ...t, kind } as TransportSettings;
}
