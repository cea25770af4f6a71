/** The workspace of the acknowledgement tests: a map with a replies mailbox on a test Dovecot. */
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, writeMap } from '../helpers/workspace.js';
import type { Received } from '../helpers/smtp.js';
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

/** What a recipient's client knows of the message it replies to. */
export function originalFor(received: Received[], address: string): Original {
  const m = received.find((r) => r.to.includes(address));
  if (!m) throw new Error(`nothing was sent to ${address}`);
  return { messageId: m.messageId, subject: m.subject, from: address, to: `Jeanne Martin <jeanne@exemple.fr>, ${REPLIES}` };
}

export function removeDir(dir: string): void {
  fs.rmSync(path.resolve(dir), { recursive: true, force: true });
}
