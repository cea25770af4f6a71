import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, readLogEvents, spawnNotify } from '../helpers/workspace.js';
import { workspaceForEach } from '../fixtures/close-workspace.js';

describe('notify close end to end over real SMTP', () => {
  const ws = workspaceForEach(() => fs.readFileSync(path.join(ROOT, 'examples/assurance/notify.yaml'), 'utf8'));

  it('delivers one message to each expected recipient, logs it and closes', async () => {
    const r = await spawnNotify(['close', 'voeux-2027', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    const expected = ['marie-daba@mutuelle-exemple.fr', 'conseillers@mutuelle-exemple.fr', 'commerciaux@mutuelle-exemple.fr', 'dg@mutuelle-exemple.fr'];
    expect(ws.smtp.received.map((m) => m.to[0]).sort()).toEqual(expected.sort());
    const events = readLogEvents(ws.dir);
    expect(events.filter((e) => e.event === 'notification.sent')).toHaveLength(4);
    expect(events.at(-1).event).toBe('project.closed');
    const status = await spawnNotify(['check', 'voeux-2027', '--json'], { cwd: ws.dir });
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ project: 'voeux-2027', closed: true, pending: [] });
  });
});
