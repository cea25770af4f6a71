import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, readLogEvents, spawnNotify, tempDir } from '../helpers/workspace.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

describe('notify close end to end over real SMTP', () => {
  let smtp: TestSmtp;
  let dir: string;
  beforeEach(async () => {
    smtp = await startSmtp();
    dir = tempDir();
    fs.copyFileSync(path.join(ROOT, 'examples/assurance/notify.yaml'), path.join(dir, 'notify.yaml'));
  });
  afterEach(() => smtp.close());

  it('delivers one message to each expected recipient, logs it and closes', async () => {
    const r = await spawnNotify(['close', 'voeux-2027', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    const expected = ['marie-daba@mutuelle-exemple.fr', 'conseillers@mutuelle-exemple.fr', 'commerciaux@mutuelle-exemple.fr', 'dg@mutuelle-exemple.fr'];
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(expected.sort());
    const events = readLogEvents(dir);
    expect(events.filter((e) => e.event === 'notification.sent')).toHaveLength(4);
    expect(events.at(-1).event).toBe('project.closed');
    const status = await spawnNotify(['check', 'voeux-2027', '--json'], { cwd: dir });
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ project: 'voeux-2027', closed: true, pending: [] });
  });
});
