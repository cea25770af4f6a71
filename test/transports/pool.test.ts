import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { runNotify, tempDir } from '../helpers/workspace.js';

/** One party of 12 contacts, with the smtp: block given. */
function mapWith(smtp: string): string {
  const contacts = Array.from({ length: 12 }, (_, i) => `"c${i}@acme.test"`).join(', ');
  return `version: 1
from: "Projects <projects@acme.test>"
${smtp}
actions:
  pricing: { description: "Change of price" }
parties:
  stores:
    contacts: [${contacts}]
    affected_by: [pricing]
projects:
  prices:
    actions: [pricing]
    summary: "New prices"
`;
}

describe('smtp.pool', () => {
  let smtp: TestSmtp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await smtp?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function close(smtpBlock: string, args: string[] = []) {
    const sessions = new Set<string>();
    smtp = await startSmtp({ onData: (_raw, session) => void sessions.add(session.id) });
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notify.yaml'), mapWith(smtpBlock));
    const r = await runNotify(['close', 'prices', '--yes', ...args], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    return { ...r, sessions, received: smtp.received.map((m) => m.to[0]).sort() };
  }

  const everyone = Array.from({ length: 12 }, (_, i) => `c${i}@acme.test`).sort();

  it('pool.max_connections bounds the connections the messages travel over', async () => {
    const r = await close('smtp:\n  pool:\n    max_connections: 2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.received).toEqual(everyone);
    expect(r.sessions.size).toBeGreaterThanOrEqual(1);
    expect(r.sessions.size).toBeLessThanOrEqual(2);
  });

  it('--concurrency overrides it', async () => {
    const r = await close('smtp:\n  pool:\n    max_connections: 4', ['--concurrency', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.received).toEqual(everyone);
    expect(r.sessions.size).toBe(1);
  });

  it('without it, sends go over several pooled connections', async () => {
    const r = await close('');
    expect(r.code, r.stderr).toBe(0);
    expect(r.received).toEqual(everyone);
    expect(r.sessions.size).toBeGreaterThan(2);
  });
});
