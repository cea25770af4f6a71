/** A map with notice periods, and logs written by hand with the events a close would record. */
import fs from 'node:fs';
import path from 'node:path';
import { writeMap } from '../helpers/workspace.js';

export const DUE_MAP = `version: 1
from: "Projects <projects@acme.test>"
calendar:
  timezone: Europe/Paris
  working_days: [mon, tue, wed, thu, fri]
parties:
  advisers:
    name: Customer advisers
    contacts: ["Ann <ann@acme.test>", "advisers@acme.test"]
    notice: { working_days: 2 }
  sales:
    contacts: ["sales@acme.test"]
    notice: { working_days: 2 }
  legal:
    contacts: ["legal@acme.test"]
    notice: { days: 30 }
  board:
    contacts: ["board@acme.test"]
    always: true
projects:
  ecard:
    title: "New Year e-card"
    owner: "Jo <jo@acme.test>"
    parties: [advisers, sales, legal]
    notice:
      sales: { working_days: 1 }
`;

let n = 0;
export function event(project: string, ts: string, event: string, fields: object): string {
  return `${JSON.stringify({ id: `ev-${++n}`, ts, event, project, ...fields })}\n`;
}

export function planned(project: string, ts: string, effective: string, parties: string[], more: object = {}): string {
  return event(project, ts, 'close.planned', { title: project, actions: [], parties, skipped: [], summary: `${project} summary`, effective, ...more });
}

/** A recorded send: attempt, then sent, at `ts`. */
export function sent(project: string, ts: string, recipient: string, parties: string[]): string {
  const message_id = `<notify.${project}.${recipient}@acme.test>`;
  return event(project, ts, 'notification.attempt', { recipient, parties, message_id }) + event(project, ts, 'notification.sent', { recipient, parties, message_id, response: '250 ok', via: 'smtp' });
}

export function workspace(dir: string, log: string, map = DUE_MAP): void {
  writeMap(dir, map);
  fs.mkdirSync(path.join(dir, '.notify'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.notify', 'log.jsonl'), log);
}
