import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readLog } from '../../src/adapters/log/log.js';
import { foldAllProjects } from '../../src/adapters/log/log-fold.js';
import { indexFile, readProjectEvents } from '../../src/adapters/log/log-index.js';
import { foldProjects, emptyState } from '../../src/domain/state.js';
import { summarize } from '../../src/domain/close-plan.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';
import { runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';

let n = 0;
const line = (project: string, event: string, extra: object = {}) => `${JSON.stringify({ id: `id-${++n}`, ts: new Date(Date.UTC(2027, 0, 1, 0, 0, n)).toISOString(), event, project, ...extra })}\n`;

/** A close of `project`: planned, an attempt and a result per recipient, closed when all were sent. */
function close(project: string, recipients: [string, 'sent' | 'failed' | 'none'][], closed: boolean): string {
  let out = line(project, 'close.planned', { title: `T ${project}`, actions: ['pricing'], parties: ['support', 'sales', 'boss'], skipped: [], summary: 's' });
  for (const [r, how] of recipients) {
    const who = { recipient: r, parties: ['support'], message_id: `<${project}.${r}>` };
    out += line(project, 'notification.attempt', who);
    if (how === 'sent') out += line(project, 'notification.sent', { ...who, response: '250 ok', via: 'smtp' });
    if (how === 'failed') out += line(project, 'notification.failed', { ...who, code: 550, text: 'no such user', permanent: true });
  }
  if (closed) out += line(project, 'project.closed', { notified: ['support', 'sales', 'boss'], skipped: [], recipients: recipients.length });
  return out;
}

const ALL = ['marie@acme.test', 'support@acme.test', 'sales@acme.test', 'boss@acme.test'];

function setup(content: string) {
  const dir = scratchDir();
  writeMap(dir, SMALL_MAP);
  const log = path.join(dir, '.notify', 'log.jsonl');
  fs.mkdirSync(path.dirname(log), { recursive: true });
  fs.writeFileSync(log, content);
  return { dir, log, index: indexFile(path.join(dir, '.notify', 'cache'), log) };
}

async function outcome<T>(fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await fn();
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** The index must agree with a full read filtered on the project, errors and warnings included. */
async function expectSameAsFullRead(log: string, index: string, project: string) {
  const needle = `"project":${JSON.stringify(project)}`;
  const full = await outcome(async () => {
    const r = await readLog(log, 'log.jsonl', (l) => l.includes(needle));
    return { events: r.events.filter((e) => e.project === project), warnings: r.warnings };
  });
  const indexed = await outcome(() => readProjectEvents(log, 'log.jsonl', project, index));
  expect(indexed).toEqual(full);
  return indexed;
}

describe('the log index', () => {
  it('gives each project the same events as a full read, and follows appends', async () => {
    const { log, index } = setup(
      close('alpha', ALL.map((a) => [a, 'sent']), true) + close('beta', [[ALL[0], 'sent'], [ALL[1], 'failed'], [ALL[2], 'none']], false) + close('gamma', [[ALL[3], 'sent']], false),
    );
    for (const p of ['alpha', 'beta', 'gamma', 'nobody']) await expectSameAsFullRead(log, index, p);
    const built = JSON.parse(fs.readFileSync(index, 'utf8'));
    expect(built.size).toBe(fs.statSync(log).size);

    // Appends (interleaved projects) extend the index instead of rebuilding it.
    fs.appendFileSync(log, line('gamma', 'notification.attempt', { recipient: ALL[0], parties: ['support'], message_id: '<g0>' }) + close('delta', [[ALL[0], 'sent']], true) + line('gamma', 'notification.sent', { recipient: ALL[0], parties: ['support'], message_id: '<g0>', response: '250', via: 'smtp' }));
    const gamma = (await expectSameAsFullRead(log, index, 'gamma')) as { events: { event: string }[] };
    expect(gamma.events.map((e) => e.event)).toEqual(['close.planned', 'notification.attempt', 'notification.sent', 'notification.attempt', 'notification.sent']);
    await expectSameAsFullRead(log, index, 'delta');
    const extended = JSON.parse(fs.readFileSync(index, 'utf8'));
    expect(extended.size).toBe(fs.statSync(log).size);
    // [start, end, line] runs: the first appended line continued the last run; delta came between.
    expect(extended.projects.gamma, JSON.stringify(extended.projects)).toHaveLength(6);
  });

  it('is rebuilt when the log is rewritten, shrunk or replaced', async () => {
    const { log, index } = setup(close('alpha', ALL.map((a) => [a, 'sent']), true) + close('beta', [[ALL[0], 'sent']], false));
    await expectSameAsFullRead(log, index, 'beta');
    // Same size, different content (an edit in place): the beta result becomes a failure.
    const text = fs.readFileSync(log, 'utf8');
    fs.writeFileSync(log, text.replace('"notification.sent","project":"beta"', '"notification.xxxx","project":"beta"'));
    const edited = (await expectSameAsFullRead(log, index, 'beta')) as { events: { event: string }[] };
    expect(edited.events.map((e) => e.event)).toContain('notification.xxxx');
    // Shrunk: a project disappears.
    fs.writeFileSync(log, close('beta', [[ALL[1], 'sent']], true));
    const shrunk = (await expectSameAsFullRead(log, index, 'beta')) as { events: { event: string }[] };
    expect(shrunk.events.at(-1)!.event).toBe('project.closed');
    expect(((await expectSameAsFullRead(log, index, 'alpha')) as { events: unknown[] }).events).toEqual([]);
    // Replaced by a longer file (another branch's log): the head no longer matches.
    fs.rmSync(log);
    fs.writeFileSync(log, close('zeta', [[ALL[2], 'sent']], true) + close('beta', [[ALL[3], 'failed']], false));
    await expectSameAsFullRead(log, index, 'beta');
    await expectSameAsFullRead(log, index, 'zeta');
  });

  it('reports the same corrupt lines, conflict markers, torn tails and duplicates as a full read', async () => {
    const a = close('alpha', [[ALL[0], 'sent']], false);
    const cases = [
      a + '{"id":"x","event":"notification.sent","project":"alpha","recip\n' + close('beta', [[ALL[1], 'sent']], true), // garbled alpha line
      a + 'garbage that names no project\n' + close('beta', [[ALL[1], 'sent']], true), // garbled, any project
      a + '{"not":"an event"}\n' + close('beta', [[ALL[1], 'sent']], true),
      a + '<<<<<<< HEAD\n' + close('beta', [[ALL[1], 'sent']], true) + '=======\n>>>>>>> other\n',
      a + close('beta', [[ALL[1], 'sent']], true) + '{"id":"torn","ts":"2027","event":"notification.sent","project":"alpha"', // no newline
      a + close('beta', [[ALL[1], 'sent']], true) + '{"id":"bad last","project":"alpha",\n', // complete but invalid last line
      a + close('beta', [[ALL[1], 'sent']], true) + line('alpha', 'notification.failed', { recipient: ALL[0], parties: ['support'], message_id: '<m>', text: 'later', permanent: false }).trimEnd(), // a whole last event, no newline
      a + line('alpha', 'notification.sent', { recipient: ALL[0] }) + close('beta', [[ALL[1], 'sent']], true), // JSON, but not a valid event
      a + line('beta', 'notification.bounced', { recipient: ALL[0] }) + close('beta', [[ALL[1], 'sent']], true), // a kind from a newer notify
      a + a + '\n\n' + close('beta', [[ALL[1], 'sent']], true), // duplicated ids, blank lines
      a + 'ünïcödé {"project":"alpha"}\n' + close('beta', [[`é${ALL[1]}`, 'sent']], true),
    ];
    for (const content of cases) {
      const { log, index } = setup(content);
      for (const p of ['alpha', 'beta']) {
        await expectSameAsFullRead(log, index, p);
        await expectSameAsFullRead(log, index, p); // from the saved index
      }
    }
  });

  it('notify check answers the same with the index as without', async () => {
    const { dir, log } = setup(close('ecard', ALL.map((a) => [a, 'sent']), false) + close('promo', [[ALL[0], 'sent']], false));
    const first = await runNotify(['check', 'promo', '--json'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(fs.readdirSync(path.join(dir, '.notify', 'cache')).some((f) => f.endsWith('.index.json'))).toBe(true);
    fs.appendFileSync(log, line('ecard', 'project.closed', { notified: ['support', 'legal', 'boss'], skipped: [], recipients: 4 }));
    const closed = await runNotify(['check', 'ecard', '--json'], { cwd: dir });
    expect(closed.code, closed.stderr).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ project: 'ecard', closed: true, pending: [] });
    const again = await runNotify(['check', 'promo', '--json'], { cwd: dir });
    expect(again).toEqual(first);
    // NOTIFY_NO_CACHE=1 reads the whole log instead: the same answer.
    expect(await runNotify(['check', 'promo', '--json'], { cwd: dir, env: { NOTIFY_NO_CACHE: '1' } })).toEqual(first);
    expect(await runNotify(['check', 'ecard', '--json'], { cwd: dir, env: { NOTIFY_NO_CACHE: '1' } })).toEqual(closed);
  });
});

describe('status over the whole log', () => {
  it('summarises every project as folding every event would', async () => {
    const map = mapFrom(SMALL_MAP);
    const dup = close('dup', [[ALL[0], 'sent'], [ALL[1], 'failed']], false);
    const content = [
      close('ecard', ALL.map((a) => [a, 'sent']), true),
      close('promo', [[ALL[0], 'sent'], [ALL[1], 'failed'], [ALL[2], 'none']], false),
      dup,
      dup, // the same lines twice, as a merge can leave them
      line('promo', 'party.skipped', { party: 'sales', reason: 'told in person' }),
      close('late', [[ALL[3], 'none']], false),
      line('ecard', 'notification.failed', { recipient: ALL[0], parties: ['support'], message_id: '<x>', code: 450, text: 'later', permanent: false }),
    ].join('');
    const { log } = setup(content);
    const { events } = await readLog(log, 'log.jsonl');
    const expected = foldProjects(events);
    const { states } = await foldAllProjects(log, 'log.jsonl');
    expect([...states.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const id of expected.keys()) expect(summarize(map, states.get(id) ?? emptyState(id))).toEqual(summarize(map, expected.get(id)!));
  });

  it('judges the sends it reads without parsing by the same validator as a full read', async () => {
    const sent = { id: 'q1', ts: '2027-01-01T00:00:00.000Z', event: 'notification.sent', project: 'ecard', recipient: ALL[0], parties: ['support'], message_id: '<q1>', response: '250 ok', via: 'smtp' };
    const drop = (k: string) => Object.fromEntries(Object.entries(sent).filter(([key]) => key !== k));
    const cases: [object, string | undefined][] = [
      [sent, undefined],
      [{ ...sent, recipient: 'tab\there@acme.test' }, undefined], // an escape: parsed in full
      [drop('response'), 'notification.sent lacks "response"'],
      [drop('message_id'), 'notification.sent lacks "message_id"'],
      [{ ...sent, ts: 'yesterday' }, 'notification.sent: "ts" is not an ISO 8601 date and time ("yesterday")'],
      [{ ...sent, via: 'pigeon' }, 'notification.sent: "via" is not one of smtp, sendmail, file, manual'],
      [{ ...sent, parties: ['support', 3] }, 'notification.sent: "parties" is not a list of strings'],
      [{ ...sent, event: 'notification.attempt', response: undefined, via: undefined, text: 'extra' }, undefined],
      [{ ...sent, event: 'notification.unknown', response: undefined, via: undefined }, 'notification.unknown lacks "text"'],
    ];
    for (const [e, problem] of cases) {
      const { log } = setup(close('ecard', [[ALL[1], 'sent']], false) + `${JSON.stringify(e)}\n` + close('promo', [[ALL[0], 'sent']], false));
      const full = await readLog(log, 'log.jsonl').then(() => 'no error', (err: Error) => err.message);
      const fold = await foldAllProjects(log, 'log.jsonl').then(() => 'no error', (err: Error) => err.message);
      expect(fold, JSON.stringify(e)).toBe(full);
      if (problem) expect(full).toContain(`log.jsonl:4:1: ${problem}`);
      else expect(full).toBe('no error');
    }
  });

  it('refuses a corrupt log like a full read does', async () => {
    const { log } = setup(close('ecard', [[ALL[0], 'sent']], false) + '{"broken\n' + close('promo', [[ALL[0], 'sent']], false));
    const full = await readLog(log, 'log.jsonl').then(() => 'no error', (e: Error) => e.message);
    expect(full).toMatch(/^log\.jsonl:\d+:1: not a valid log event/);
    await expect(foldAllProjects(log, 'log.jsonl')).rejects.toThrow(full);
  });
});
