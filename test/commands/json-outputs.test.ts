import { afterEach, describe, expect, it } from 'vitest';
import { smtpError } from '../helpers/smtp.js';
import { workspace, type Workspace } from '../fixtures/close-workspace.js';

let ws: Workspace;
afterEach(() => ws?.close());

/** --json prints one JSON document on stdout and nothing else. */
async function json(args: string[], code = 0): Promise<any> {
  const r = await ws.run(args);
  expect(r.code, r.stderr).toBe(code);
  return JSON.parse(r.stdout);
}

describe('notify stakeholders --json', () => {
  it('without filters: every party, with the rules that can select it', async () => {
    ws = await workspace();
    expect(await json(['stakeholders', '--json'])).toEqual([
      { id: 'support', name: 'Customer support', contacts: ['Marie <marie@acme.test>', 'support@acme.test'], reasons: ['affected_by: customer-email', 'affected_by: pricing'] },
      { id: 'sales', name: 'Sales', contacts: ['sales@acme.test', 'marie@acme.test'], reasons: ['affected_by: pricing'] },
      { id: 'legal', name: 'Legal', contacts: ['legal@acme.test'], reasons: [] },
      { id: 'boss', name: 'Direction', contacts: ['Boss <boss@acme.test>'], reasons: ['always'] },
    ]);
  });

  it('--project: the parties its actions and its own list select, with why', async () => {
    ws = await workspace();
    expect(await json(['stakeholders', '--project', 'ecard', '--json'])).toEqual([
      { id: 'support', name: 'Customer support', contacts: ['Marie <marie@acme.test>', 'support@acme.test'], reasons: ['affected_by: customer-email'] },
      { id: 'legal', name: 'Legal', contacts: ['legal@acme.test'], reasons: ['named by project'] },
      { id: 'boss', name: 'Direction', contacts: ['Boss <boss@acme.test>'], reasons: ['always'] },
    ]);
  });

  it('--action (repeatable), alone or on top of --project', async () => {
    ws = await workspace();
    const byAction = await json(['stakeholders', '--action', 'pricing', '--json']);
    expect(byAction.map((r: any) => [r.id, r.reasons])).toEqual([
      ['support', ['affected_by: pricing']],
      ['sales', ['affected_by: pricing']],
      ['boss', ['always']],
    ]);
    const both = await json(['stakeholders', '--project', 'ecard', '--action', 'pricing', '--json']);
    expect(both.map((r: any) => [r.id, r.reasons])).toEqual([
      ['support', ['affected_by: customer-email', 'affected_by: pricing']],
      ['sales', ['affected_by: pricing']],
      ['legal', ['named by project']],
      ['boss', ['always']],
    ]);
    for (const row of both) expect(Object.keys(row).sort()).toEqual(['contacts', 'id', 'name', 'reasons']);
  });

  it('an unknown project or --action is exit 2 with a suggestion', async () => {
    ws = await workspace();
    for (const args of [['stakeholders', 'ecrad', '--json'], ['stakeholders', '--project', 'ecrad', '--json']]) {
      const p = await ws.run(args);
      expect(p.code).toBe(2);
      expect(p.stdout).toBe('');
      expect(p.stderr.split('\n')[0]).toBe('notify: unknown project "ecrad" (did you mean "ecard"?)');
    }
    const a = await ws.run(['stakeholders', '--action', 'pricng']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--action pricng: no such action in the map \(did you mean "pricing"\?\)/);
  });

  it('the human listing names each party, why, and its contacts', async () => {
    ws = await workspace();
    const r = await ws.run(['stakeholders', '--project', 'ecard']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Legal (legal)\n  why:      named by project\n  contacts: legal@acme.test\n');
  });
});

describe('status, log and check --json', () => {
  it('before any close: every project of the map is open, with what it would need', async () => {
    ws = await workspace();
    const status = await json(['status', '--json']);
    expect(status).toEqual([
      { project: 'ecard', title: 'New Year e-card', closed: false, planned: false, notified: [], pending: ['support', 'legal', 'boss'], failed: [], unknown: [], skipped: [], plan_file: null },
      { project: 'promo', title: 'Summer prices', closed: false, planned: false, notified: [], pending: ['support', 'sales', 'boss'], failed: [], unknown: [], skipped: [], plan_file: null },
    ]);
    expect(await json(['check', 'promo', '--json'], 1)).toEqual({ project: 'promo', closed: false, notified: [], pending: ['support', 'sales', 'boss'], failed: [], skipped: [] });
    expect(await json(['log', '--json'])).toEqual([]);
  });

  it('a project that so far has only a plan file is listed, with its plan', async () => {
    ws = await workspace();
    const plan = await ws.run(['plan', 'hotfix', '--title', 'Hotfix 2.1', '--action', 'customer-email', '--summary', 'Fixed the login', '--yes']);
    expect(plan.code, plan.stderr).toBe(0);
    const status = await json(['status', '--json']);
    expect(status.map((r: any) => [r.project, r.plan_file])).toEqual([['ecard', null], ['promo', null], ['hotfix', '.notify/plans/hotfix.md']]);
    expect(status[2]).toMatchObject({ closed: false, planned: false });
    const text = await ws.run(['status']);
    expect(text.stdout).toContain('hotfix  open, plan in .notify/plans/hotfix.md');
  });

  it('after a close with one failure, a skip, then a successful rerun', async () => {
    let reject = true;
    ws = await workspace({ onRcpt: (a) => (reject && a === 'boss@acme.test' ? smtpError(550, 'no such user') : undefined) });
    expect((await ws.run(['close', 'promo', '-m', 'New prices', '--skip', 'sales=told in person', '--yes'])).code).toBe(1);

    const open = await json(['status', 'promo', '--json']);
    expect(open).toEqual([{ project: 'promo', title: 'Summer prices', closed: false, planned: true, notified: ['support'], pending: [], failed: ['boss'], unknown: [], skipped: [{ party: 'sales', reason: 'told in person' }], plan_file: null }]);
    expect(await json(['check', 'promo', '--json'], 1)).toEqual({ project: 'promo', closed: false, notified: ['support'], pending: [], failed: ['boss'], skipped: [{ party: 'sales', reason: 'told in person' }] });

    reject = false;
    expect((await ws.run(['close', 'promo', '--yes'])).code).toBe(0);
    const check = await json(['check', 'promo', '--json']);
    expect(check).toEqual({ project: 'promo', closed: true, notified: ['support', 'boss'], pending: [], failed: [], skipped: [{ party: 'sales', reason: 'told in person' }] });
    const [closed] = await json(['status', 'promo', '--json']);
    expect(closed).toMatchObject({ project: 'promo', closed: true, planned: true, notified: ['support', 'boss'] });
    expect(Date.parse(closed.closed_at)).not.toBeNaN();

    const log = await json(['log', 'promo', '--json']);
    for (const e of log) {
      expect(e).toMatchObject({ project: 'promo', id: expect.any(String), ts: expect.any(String), event: expect.any(String) });
      expect(Date.parse(e.ts)).not.toBeNaN();
    }
    expect(log.map((e: any) => e.event).filter((e: string) => !e.startsWith('notification.'))).toEqual(['close.planned', 'party.skipped', 'project.closed']);
    expect(log.filter((e: any) => e.event === 'notification.failed')).toEqual([expect.objectContaining({ recipient: 'boss@acme.test', parties: ['boss'], code: 550, permanent: true, message_id: expect.stringMatching(/^<notify\.promo\./) })]);
    expect(log.filter((e: any) => e.event === 'notification.sent').map((e: any) => e.recipient).sort()).toEqual(['boss@acme.test', 'marie@acme.test', 'support@acme.test']);
    expect(await json(['log', 'ecard', '--json'])).toEqual([]);
  });

  it('check of a project neither in the map nor in the log is exit 2', async () => {
    ws = await workspace();
    const r = await ws.run(['check', 'nope', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
