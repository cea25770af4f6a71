/**
 * The close story against in-memory ports (fast tier): what is sent, what is recorded, and
 * that the session lets go of the lock on every path. The same promises are attacked with
 * real servers, processes and files in test/faults/.
 */
import { describe, expect, it } from 'vitest';
import type { NotifyEvent } from '../../src/domain/events.js';
import { SMALL_MAP } from '../fixtures/maps.js';
import { fakeWorld } from '../helpers/fake-ports.js';
import { runNotify } from '../helpers/workspace.js';

const ECARD = ['marie@acme.test', 'support@acme.test', 'legal@acme.test', 'boss@acme.test'].sort();
const close = (world: ReturnType<typeof fakeWorld>, ...args: string[]) => runNotify(['close', 'ecard', '--yes', ...(args.includes('--summary') ? [] : ['--summary', 'The e-card went out']), ...args], { cwd: '/nonexistent/notify-fake', ports: world.ports, now: () => new Date('2027-01-04T09:00:00Z') });
const kinds = (events: NotifyEvent[]) => events.map((e) => e.event);
const sentTo = (events: NotifyEvent[]) => events.flatMap((e) => (e.event === 'notification.sent' ? [e.recipient] : [])).sort();

describe('close, plan then apply (fast tier)', () => {
  it('sends one message per recipient, records each send after its attempt, then closes; the lock is released', async () => {
    const world = fakeWorld(SMALL_MAP);
    const r = await close(world);
    expect(r.code, r.stderr).toBe(0);
    expect(world.sent.map((m) => m.to).sort()).toEqual(ECARD);
    expect(sentTo(world.events)).toEqual(ECARD);
    expect(kinds(world.events)[0]).toBe('close.planned');
    expect(kinds(world.events).at(-1)).toBe('project.closed');
    for (const to of ECARD) {
      const at = (kind: string) => world.events.findIndex((e) => e.event === kind && 'recipient' in e && e.recipient === to);
      expect(at('notification.attempt')).toBeLessThan(at('notification.sent'));
    }
    expect(world.locks).toEqual({ taken: 1, released: 1 });
  });

  it('--dry-run sends nothing, records nothing and takes no lock', async () => {
    const world = fakeWorld(SMALL_MAP);
    const r = await runNotify(['close', 'ecard', '--dry-run', '--summary', 'The e-card went out'], { cwd: '/nonexistent/notify-fake', ports: world.ports });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('4 messages would be sent');
    expect(world.sent).toHaveLength(0);
    expect(world.events).toHaveLength(0);
    expect(world.locks.taken).toBe(0);
  });

  it('a rerun sends only what failed, and closes', async () => {
    const world = fakeWorld(SMALL_MAP);
    world.outcomes.set('legal@acme.test', { status: 'failed', code: 550, text: 'no such user', permanent: true });
    const first = await close(world);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('ecard stays open: 1 party is not notified yet');
    world.outcomes.clear();
    const second = await close(world);
    expect(second.code, second.stderr).toBe(0);
    expect(world.sent.map((m) => m.to).filter((to) => to === 'legal@acme.test')).toHaveLength(2);
    expect(world.sent).toHaveLength(5);
  });

  it('a resumed close whose --summary differs from the record exits 2 before sending; the lock is never taken', async () => {
    const world = fakeWorld(SMALL_MAP);
    world.outcomes.set('legal@acme.test', { status: 'unknown', text: 'connection lost after the body' });
    await close(world);
    const before = world.sent.length;
    const r = await close(world, '--summary', 'Another story');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ecard: the decisions were recorded on .+, and this run's --summary differs from them; nothing was sent/);
    expect(world.sent).toHaveLength(before);
    expect(world.locks.taken).toBe(1);
  });

  it('decisions recorded by another run while this one waited for the lock: exit 2, nothing sent, lock released', async () => {
    const world = fakeWorld(SMALL_MAP);
    world.onLocked = () => {
      world.events.push({ id: 'other', ts: '2027-01-04T08:59:00.000Z', event: 'close.planned', project: 'ecard', actions: ['customer-email'], parties: ['support'], skipped: [], summary: 'Their summary' } as NotifyEvent);
    };
    const r = await close(world, '--summary', 'Mine');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("this run's title, parties, summary differ from them; nothing was sent");
    expect(world.sent).toHaveLength(0);
    expect(world.locks).toEqual({ taken: 1, released: 1 });
  });

  it('a lock found lost after the first send: no other send starts, exit 1, the lock released', async () => {
    const world = fakeWorld(SMALL_MAP);
    const transportSend = world.outcomes;
    transportSend.clear();
    const ports = world.ports;
    const choose = ports.transports.choose;
    ports.transports.choose = async (...a) => {
      const chosen = await choose(...a);
      return {
        ...chosen,
        create: async () => {
          const t = await chosen.create();
          return { ...t, send: async (m) => ((world.lockLost = 'it now belongs to another run (pid 7 on elsewhere)'), t.send(m)) };
        },
      };
    };
    const r = await close(world);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ecard stays open: the lock of .notify/log.jsonl was lost while sending (it now belongs to another run (pid 7 on elsewhere))');
    expect(world.sent).toHaveLength(1);
    expect(kinds(world.events)).not.toContain('project.closed');
    expect(world.locks).toEqual({ taken: 1, released: 1 });
  });

  it('a log replaced under the run: no project.closed, exit 1 naming the file', async () => {
    const world = fakeWorld(SMALL_MAP);
    world.logLost = '.notify/log.jsonl was replaced while this run was using it; the 3 events it lacked were written back to it';
    const r = await close(world);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ecard stays open: .notify/log.jsonl was replaced while this run was using it');
    expect(world.sent).toHaveLength(0);
    expect(kinds(world.events)).not.toContain('project.closed');
  });

  it('a server that fails its check: nothing recorded, the lock released', async () => {
    const world = fakeWorld(SMALL_MAP);
    world.verifyError = Object.assign(new Error('535 authentication failed'), { exitCode: 2 });
    const r = await close(world);
    expect(r.code).not.toBe(0);
    expect(world.events).toHaveLength(0);
    expect(world.sent).toHaveLength(0);
    expect(world.locks).toEqual({ taken: 1, released: 1 });
  });

  it('an unknown outcome keeps the project open until --mark-sent with a reason', async () => {
    const world = fakeWorld(SMALL_MAP);
    world.outcomes.set('boss@acme.test', { status: 'unknown', text: 'no reply after the body' });
    const first = await close(world);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('--resend-unknown');
    const second = await close(world, '--mark-sent', 'boss@acme.test=confirmed by phone');
    expect(second.code, second.stderr).toBe(0);
    expect(world.sent).toHaveLength(4);
    expect(kinds(world.events).at(-1)).toBe('project.closed');
  });

  it('the same command again is never refused, even with a flag given twice or a party both given and skipped', async () => {
    const world = fakeWorld(SMALL_MAP);
    world.outcomes.set('boss@acme.test', { status: 'unknown', text: 'no reply after the body' });
    const flags = ['--skip', 'legal=first', '--skip', 'legal = told in person', '--party', 'legal', '--action', 'customer-email', '--action', 'customer-email'];
    const first = await close(world, ...flags);
    expect(first.code, first.stderr).toBe(1);
    const again = await close(world, ...flags);
    expect(again.code, again.stderr).toBe(1);
    expect(again.stderr).toContain('Resuming ecard');
    expect(again.stderr).not.toContain('differ');
  });
});
