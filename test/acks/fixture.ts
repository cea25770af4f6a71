/** The workspace of the acknowledgement tests: a map with a replies mailbox on a test Dovecot. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { tempDir, writeMap } from '../helpers/workspace.js';
import { startSmtp, type Received, type TestSmtp } from '../helpers/smtp.js';
import { startDovecot, type TestImap } from '../helpers/dovecot.js';
import type { Original } from './mail-samples.js';

export const REPLIES = 'notify-replies@exemple.fr';

export function ackMap(imapUrl: string, o: { processed?: boolean } = {}): string {
  return `version: 1
organization: Banque Exemple
from: "Projets <projets@exemple.fr>"
locale: fr
replies:
  imap:
    url: ${imapUrl}
    user: notify-bot
    password_env: NOTIFY_IMAP_PASSWORD
    mailbox: INBOX
${o.processed === false ? '' : '    processed_folder: notify/processed\n'}  address: "Réponses notify <${REPLIES}>"
actions:
  pricing:
parties:
  conseillers:
    name: Conseillers
    contacts: ["Alice <alice@exemple.fr>", "bruno@exemple.fr", "chloe@exemple.fr", "david@exemple.fr", "felix@exemple.fr"]
    affected_by: [pricing]
    ack:
      required: true
      within: { working_days: 2 }
      remind_after: { working_days: 1 }
      escalate_to: direction
  agences:
    name: Branch network
    locale: en
    contacts: ["Emma <emma@exemple.fr>"]
    affected_by: [pricing]
    ack: { required: true, remind_after: { days: 1 } }
  direction:
    name: Direction
    contacts: ["dg@exemple.fr"]
    always: true
projects:
  tarifs-2026:
    title: Nouveaux tarifs 2026
    owner: "Jeanne Martin <jeanne@exemple.fr>"
    actions: [pricing]
    summary: Les tarifs changent le 1er mars
`;
}

export function ackWorkspace(imapUrl: string, o: { processed?: boolean } = {}): string {
  const dir = tempDir('notify-acks-');
  writeMap(dir, ackMap(imapUrl, o));
  return dir;
}

export interface AckWorld {
  /** One Dovecot for the whole file, emptied after each test. */
  imap: TestImap;
  /** A loopback SMTP server per test. */
  smtp: TestSmtp;
  /** The test's workspace (ackWorkspace); a test may swap it for another, which is removed in its place. */
  dir: string;
}

/** Registers the hooks of an acknowledgement test file; the fields are set once they run. */
export function ackWorld(): AckWorld {
  const w = {} as AckWorld;
  beforeAll(async () => {
    w.imap = await startDovecot();
  });
  afterAll(async () => {
    await w.imap?.stop();
  });
  beforeEach(async () => {
    w.smtp = await startSmtp();
    w.dir = ackWorkspace(w.imap.url);
  });
  afterEach(async () => {
    await w.smtp.close();
    await w.imap.clear();
    removeDir(w.dir);
  });
  return w;
}

/** What a recipient's client knows of the message it replies to. */
export function originalFor(received: Received[], address: string): Original {
  const m = received.find((r) => r.to.includes(address));
  if (!m) throw new Error(`nothing was sent to ${address}`);
  return { messageId: m.messageId, subject: m.subject, from: address, to: `Jeanne Martin <jeanne@exemple.fr>, ${REPLIES}` };
}

export function removeDir(dir: string): void {
  fs.rmSync(path.resolve(dir), { recursive: true, force: true });
}
