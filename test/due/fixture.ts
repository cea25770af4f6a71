/** A map with notice periods, logs written by hand with the events a close would record, and runs at a given time. */
import fs from 'node:fs';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { readLogEvents, runNotify, writeMap } from '../helpers/workspace.js';
import { startSmtp, type FaultHooks } from '../helpers/smtp.js';
import { scratchDir } from '../fixtures/scratch.js';

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

/**
 * A map in a scratch folder, a loopback SMTP server with these hooks, and runs of notify at a given
 * time (in-process, real ports). The server is closed when the test ends.
 */
export async function datedWorld(map: string, hooks: FaultHooks = {}) {
  const dir = scratchDir();
  writeMap(dir, map);
  const server = await startSmtp(hooks);
  onTestFinished(() => server.close());
  const logFile = path.join(dir, '.notify', 'log.jsonl');
  return {
    dir,
    server,
    /** The log as written, '' before the first run. */
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    events: (kind: string) => readLogEvents(dir).filter((e) => e.event === kind),
    at: (iso: string, args: string[]) => runNotify(args, { cwd: dir, env: { NOTIFY_SMTP_URL: server.url, NOTIFY_DECIDED_BY: 'Ana' }, now: () => new Date(iso) }),
    /** What each step sent: the messages received since `from`. */
    since: (from: number) => server.received.slice(from),
  };
}
