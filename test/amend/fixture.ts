/** A closed project with a party left out, a loopback SMTP server, and the built CLI, for the amend tests. */
import { startSmtp, type FaultHooks, type Received, type TestSmtp } from '../helpers/smtp.js';
import fs from 'node:fs';
import { readLogEvents, runNotify, spawnNotify, tempDir, writeMap } from '../helpers/workspace.js';

/**
 * voeux-2027 tells support (Marie and the support list) and the always-informed boss; marketing
 * (French, and Marie again) and legal are left out. The contacts' lines are fixed: tests name them.
 */
export const MAP = `version: 1
organization: Acme
from: "Projects <projects@acme.test>"
locale: en
smtp:
  max_connections: 1
  retry_delays_seconds: [0]
actions:
  customer-email: { description: "E-mail sent to customers" }
parties:
  support:
    name: Customer support
    contacts: ["Marie <marie@acme.test>", "support@acme.test"]
    affected_by: [customer-email]
  marketing:
    name: Marketing
    locale: fr
    contacts: ["mkt@acme.test", "marie@acme.test"]
  legal:
    name: Legal
    contacts: ["legal@acme.test"]
  boss:
    name: Direction
    contacts: ["Boss <boss@acme.test>"]
    always: true
projects:
  voeux-2027:
    title: "New Year e-card"
    actions: [customer-email]
    summary: "E-card sent to 40,000 customers"
`;

export const CLOSE_TOLD = ['boss@acme.test', 'marie@acme.test', 'support@acme.test'];

export interface AmendWorld {
  dir: string;
  smtp: TestSmtp;
  /** The built binary, as a user runs it (no terminal, CI set). */
  run(args: string[], env?: Record<string, string>): ReturnType<typeof spawnNotify>;
  /** The same program in this process, with the real ports: for the many quick runs (reads and refusals). */
  quick(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  events(kind?: string): any[];
  /** What the server received since `from` (an index into smtp.received). */
  since(from: number): Received[];
  close(): Promise<void>;
}

export async function amendWorld(hooks: FaultHooks = {}, map = MAP): Promise<AmendWorld> {
  const dir = tempDir('notify-amend-');
  writeMap(dir, map);
  const smtp = await startSmtp(hooks);
  return {
    dir,
    smtp,
    run: (args, env = {}) => spawnNotify(args, { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url, NOTIFY_DECIDED_BY: 'Ana', ...env } }),
    quick: async (args) => {
      const r = await runNotify(args, { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url, NOTIFY_DECIDED_BY: 'Ana', NO_COLOR: '1' } });
      return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
    },
    events: (kind) => readLogEvents(dir).filter((e) => kind === undefined || e.event === kind),
    since: (from) => smtp.received.slice(from),
    close: async () => {
      await smtp.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Each recipient's count among these messages, sorted by address. */
export function tally(messages: Received[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of messages) for (const to of m.to) out[to] = (out[to] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** A header's value in a raw message, unfolded. */
export function header(raw: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:((?:.*)(?:\\r\\n[ \\t].*)*)`, 'im').exec(raw);
  return m?.[1].replace(/\r\n[ \t]+/g, ' ').trim();
}

/** stderr's lines that start an error: a refusal has exactly one. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('notify:'));
}
