/** The transport kinds and the default outbox, apart from the map parser: a close reads them without loading the yaml package. */
import path from 'node:path';
import type { TransportKind } from '../domain/map.js';

export const TRANSPORT_KINDS: readonly TransportKind[] = ['smtp', 'sendmail', 'file'];
export const DEFAULT_OUTBOX = path.join('.notify', 'outbox');
