/**
 * Property-based checks of the delivery invariants: random maps and random sequences of runs
 * (sends that succeed, fail, end unknown, crash before or after the server took the message,
 * get interrupted, leave a torn last line), driven through the real executor and the real log
 * writer on a temp file, folded back with the real reader and state.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressKey } from '../../src/domain/address.js';
import { executeDeliveries } from '../../src/domain/execute.js';
import type { NotifyEvent } from '../../src/domain/events.js';
import type { Party, StakeholderMap } from '../../src/domain/map.js';
import { allowedRecipients, planDeliveries, type Decisions, type Delivery } from '../../src/domain/deliveries.js';
import { progressOf } from '../../src/domain/progress.js';
import { applyEvent, emptyState, foldProjects } from '../../src/domain/state.js';
import type { SendOutcome, Transport } from '../../src/domain/transport.js';
import { LogWriter, readLog } from '../../src/adapters/log/log.js';
import { tempDir } from '../helpers/workspace.js';
import { scratchDir } from './fixture.js';

const P = 'launch';
const POOL = ['ann@x.org', 'ANN@x.org', 'bob@x.org', 'cat@y.org', 'dan@y.org', 'eve@z.org'];
const OUTCOMES = ['sent', 'fail4', 'fail5', 'unknownDelivered', 'unknownLost', 'crashBefore', 'crashAfter'] as const;
type Outcome = (typeof OUTCOMES)[number];

const arbParties = fc.array(
  fc.record({ contacts: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 3 }), skipped: fc.boolean() }),
  { minLength: 1, maxLength: 4 },
).filter((ps) => ps.some((p) => !p.skipped));

const arbRun = fc.record({
  outcomes: fc.array(fc.constantFrom(...OUTCOMES), { maxLength: 8 }),
  resendUnknown: fc.boolean(),
  concurrency: fc.integer({ min: 1, max: 3 }),
  interruptAfter: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  torn: fc.boolean(),
  /** The log stops accepting writes from this append on (disk full, I/O error). */
  diskFullAt: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
});

function buildMap(parties: { contacts: string[] }[]): StakeholderMap {
  const map = new Map<string, Party>();
  parties.forEach((p, i) => {
    const id = `party-${i}`;
    map.set(id, { id, name: id, contacts: p.contacts.map((address) => ({ address })), affectedBy: [], always: false, paths: [], pos: { line: 1, col: 1 } });
  });
  return { file: '/m/notify.yaml', dir: '/m', version: 1, from: { address: 'projects@x.org' }, locale: 'en', log: '', actions: new Map(), parties: map, projects: new Map() } as StakeholderMap;
}

class Crash extends Error {}

interface World {
  file: string;
  decisions: Decisions;
  deliveries: Delivery[];
  allowed: Set<string>;
  /** Copies the "server" holds, per recipient key. */
  copies: Map<string, number>;
  /** Sends the user asked for explicitly (--resend-unknown of an unknown outcome), per key. */
  explicitResends: Map<string, number>;
}

async function fold(w: World) {
  const { events } = await readLog(w.file, 'log');
  const state = foldProjects(events).get(P) ?? emptyState(P);
  const sentLines = new Map<string, number>();
  for (const e of events) if (e.event === 'notification.sent') sentLines.set(addressKey(e.recipient), (sentLines.get(addressKey(e.recipient)) ?? 0) + 1);
  return { state, sentLines, progress: progressOf(w.decisions, w.deliveries, state) };
}

/** One `close` run: read the log, send what is due, stop at a crash or an interrupt. */
type Run = { outcomes: Outcome[]; resendUnknown: boolean; concurrency: number; interruptAfter?: number; torn: boolean; diskFullAt?: number };

async function runOnce(w: World, run: Run, n: number) {
  const { state, progress } = await fold(w);
  const startStatus = new Map(w.deliveries.map((d) => [d.key, state.recipients.get(d.key)?.status]));
  const todo = [...progress.toSend, ...(run.resendUnknown ? progress.unknownDeliveries : [])];
  const writer = LogWriter.open(w.file, () => new Date(), () => undefined);
  let crashed = false;
  let lastTo = '';
  let appends = 0;
  const durableAttempts = new Map<string, number>();
  const sends = new Map<string, number>();
  // Calls into the sink or the transport not yet returned: a crashed run's other workers are
  // still in one of them, and are done once none is left.
  let inFlight = 0;
  const sink = {
    append: async (e: any) => {
      if (crashed) throw new Crash('the process is gone');
      if (run.diskFullAt !== undefined && appends++ >= run.diskFullAt) throw new Crash('ENOSPC: the log cannot be written');
      inFlight++;
      try {
        const full = await writer.append(e);
        if (e.event === 'notification.attempt') durableAttempts.set(addressKey(e.recipient), (durableAttempts.get(addressKey(e.recipient)) ?? 0) + 1);
        return full;
      } finally {
        inFlight--;
      }
    },
  };
  const script: Outcome[] = [...run.outcomes];
  const copy = (key: string) => w.copies.set(key, (w.copies.get(key) ?? 0) + 1);
  const transport: Transport = {
    kind: 'smtp',
    verify: async () => undefined,
    close: () => undefined,
    async send(m): Promise<SendOutcome> {
      inFlight++;
      await new Promise((r) => setImmediate(r)).finally(() => inFlight--);
      if (crashed) throw new Crash('the process is gone');
      const key = addressKey(m.to);
      lastTo = m.to;
      // Write-ahead: every send follows its own attempt line, already on disk.
      sends.set(key, (sends.get(key) ?? 0) + 1);
      expect(durableAttempts.get(key) ?? 0).toBeGreaterThanOrEqual(sends.get(key)!);
      // Never a recipient outside the selected parties, never one already sent, never an
      // unknown one unless the user asked for it.
      expect(w.allowed.has(key)).toBe(true);
      expect(startStatus.get(key)).not.toBe('sent');
      if (startStatus.get(key) === 'unknown') {
        expect(run.resendUnknown).toBe(true);
        w.explicitResends.set(key, (w.explicitResends.get(key) ?? 0) + 1);
      }
      const o = script.shift() ?? 'sent';
      switch (o) {
        case 'sent':
          copy(key);
          return { status: 'sent', response: '250 queued' };
        case 'fail4':
          return { status: 'failed', code: 451, text: 'greylisted', permanent: false };
        case 'fail5':
          return { status: 'failed', code: 550, text: 'no such user', permanent: true };
        case 'unknownDelivered':
          copy(key);
          return { status: 'unknown', text: 'timeout after the body' };
        case 'unknownLost':
          return { status: 'unknown', text: 'connection dropped after the body' };
        case 'crashAfter':
          copy(key);
        // falls through
        case 'crashBefore':
          crashed = true;
          throw new Crash('killed');
      }
    },
  };
  const controller = new AbortController();
  let results = 0;
  try {
    await executeDeliveries(
      todo.map((d) => ({ delivery: d, message: { from: 'projects@x.org', to: d.to.address, raw: Buffer.from('x') } })),
      transport,
      sink,
      {
        project: P,
        concurrency: run.concurrency,
        retryDelaysMs: [0, 0],
        signal: controller.signal,
        sleep: async () => undefined,
        onResult: () => {
          if (++results === run.interruptAfter) controller.abort('SIGTERM');
        },
      },
    );
  } catch (err) {
    if (!(err instanceof Crash)) throw err;
  }
  // Let the other workers of a crashed run run into the dead sink, and in-flight writes land.
  while (inFlight > 0) await new Promise((r) => setImmediate(r));
  await writer.settle().catch(() => undefined);
  writer.close();
  if (crashed && run.torn && lastTo) {
    // The OS kept the first bytes of a result line that was being written: cut off before its
    // end, it never parses (a line that does parse was written whole, and counts).
    const line = JSON.stringify({ id: `torn-${n}`, ts: new Date().toISOString(), project: P, event: 'notification.sent', recipient: lastTo, parties: [], message_id: '<t@x.org>', response: '250' });
    fs.appendFileSync(w.file, line.slice(0, -1 - (n % 40)));
  }
}

async function checkInvariants(w: World, final: boolean) {
  const { progress, sentLines, state } = await fold(w);
  let allSent = true;
  for (const d of w.deliveries) {
    const lines = sentLines.get(d.key) ?? 0;
    const copies = w.copies.get(d.key) ?? 0;
    // Sent at most once in the log, and never without a copy on the server.
    expect(lines).toBeLessThanOrEqual(1);
    if (lines === 1) expect(copies).toBeGreaterThanOrEqual(1);
    expect(state.recipients.get(d.key)?.status === 'sent').toBe(lines === 1);
    // No silent duplicate: a second copy only when the user asked to resend an unknown outcome.
    expect(copies).toBeLessThanOrEqual(1 + (w.explicitResends.get(d.key) ?? 0));
    // Each recipient is either sent or reported as not done.
    const reported = progress.parties.flatMap((p) => p.recipients).filter((r) => addressKey(r.address) === d.key);
    expect(reported.length).toBeGreaterThan(0);
    for (const r of reported) expect(r.status === 'sent').toBe(lines === 1);
    if (lines !== 1) {
      allSent = false;
      for (const party of d.parties) expect(progress.notified).not.toContain(party);
    }
  }
  // A close succeeds exactly when every recipient of a selected party is sent (skipped parties aside).
  const complete = progress.pending.length === 0 && progress.failed.length === 0 && progress.unknown.length === 0;
  expect(complete).toBe(allSent);
  expect(progress.skipped.map((s) => s.party).sort()).toEqual(w.decisions.skipped.map((s) => s.party).sort());
  if (final) expect(complete).toBe(true);
}

describe('delivery invariants under random faults', () => {
  it('every recipient ends sent exactly once in the log or reported not done; a close succeeds exactly when all are sent or skipped', async () => {
    await fc.assert(
      fc.asyncProperty(arbParties, fc.array(arbRun, { minLength: 1, maxLength: 5 }), async (parties, runs) => {
        const map = buildMap(parties);
        const ids = [...map.parties.keys()];
        const decisions: Decisions = {
          project: P,
          actions: [],
          parties: ids.filter((_, i) => !parties[i].skipped),
          skipped: ids.filter((_, i) => parties[i].skipped).map((party) => ({ party, reason: 'not concerned' })),
          summary: 'done',
        };
        const deliveries = planDeliveries(map, decisions);
        const dir = tempDir('notify-prop-');
        const w: World = { file: path.join(dir, 'log.jsonl'), decisions, deliveries, allowed: allowedRecipients(map, decisions.parties), copies: new Map(), explicitResends: new Map() };
        try {
          for (const [n, run] of runs.entries()) {
            await runOnce(w, run, n);
            await checkInvariants(w, false);
          }
          // The user resolves every unknown outcome by resending; the server now accepts everything.
          await runOnce(w, { outcomes: [], resendUnknown: true, concurrency: 2, torn: false }, runs.length);
          await checkInvariants(w, true);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('the fold of the log', () => {
  const arbEvent = fc.record({ who: fc.constantFrom('a@x.org', 'A@x.org', 'b@x.org'), kind: fc.constantFrom('notification.attempt', 'notification.sent', 'notification.failed', 'notification.unknown') });

  it('a recorded send is final; otherwise an attempt without a result, or an unknown, is unknown', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 30 }), (seq) => {
        const state = emptyState(P);
        seq.forEach((s, i) => applyEvent(state, { id: String(i), ts: '2026-01-01T00:00:00.000Z', project: P, event: s.kind, recipient: s.who, parties: ['p'], message_id: '<m@x.org>', response: '250', text: 't', permanent: false } as NotifyEvent));
        for (const key of ['a@x.org', 'b@x.org']) {
          const mine = seq.filter((s) => addressKey(s.who) === key);
          const status = state.recipients.get(key)?.status;
          if (mine.length === 0) expect(status).toBeUndefined();
          else if (mine.some((s) => s.kind === 'notification.sent')) expect(status).toBe('sent');
          else if (['notification.attempt', 'notification.unknown'].includes(mine.at(-1)!.kind)) expect(status).toBe('unknown');
          else expect(status).toBe('failed');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the log writer', () => {
  it('every append that resolved is on disk, once, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }), async (delays) => {
        const dir = tempDir('notify-prop-');
        try {
          const file = path.join(dir, 'log.jsonl');
          const writer = LogWriter.open(file, () => new Date(), () => undefined);
          const done = await Promise.all(
            delays.map(async (d, i) => {
              for (let k = 0; k < d; k++) await new Promise((r) => setImmediate(r));
              return (await writer.append({ event: 'party.skipped', project: P, party: `p${i}`, reason: 'r' })).id;
            }),
          );
          writer.close();
          const { events } = await readLog(file, 'log');
          expect(events.map((e) => e.id).sort()).toEqual([...done].sort());
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('a signal during the wait before a retry', () => {
  it('starts no new attempt', async () => {
    const dir = scratchDir('notify-prop-');
    const writer = LogWriter.open(path.join(dir, 'log.jsonl'), () => new Date(), () => undefined);
    const controller = new AbortController();
    let sends = 0;
    const transport: Transport = {
      kind: 'smtp',
      verify: async () => undefined,
      close: () => undefined,
      send: async () => (sends++, { status: 'failed', code: 451, text: 'greylisted', permanent: false }),
    };
    const map = buildMap([{ contacts: ['ann@x.org', 'bob@x.org'] }]);
    const decisions: Decisions = { project: P, actions: [], parties: ['party-0'], skipped: [], summary: 'done' };
    const items = planDeliveries(map, decisions).map((d) => ({ delivery: d, message: { from: 'projects@x.org', to: d.to.address, raw: Buffer.from('x') } }));
    const result = await executeDeliveries(items, transport, writer, {
      project: P,
      concurrency: 1,
      retryDelaysMs: [60_000],
      signal: controller.signal,
      // The signal comes once the wait has begun.
      sleep: (_ms, signal) => new Promise((resolve) => (signal.addEventListener('abort', () => resolve(), { once: true }), setImmediate(() => controller.abort('SIGTERM')))),
    });
    writer.close();
    expect(sends).toBe(1);
    expect(result).toMatchObject({ failed: 1, interrupted: true });
    const { events } = await readLog(path.join(dir, 'log.jsonl'), 'log');
    expect(events.map((e) => e.event)).toEqual(['notification.attempt', 'notification.failed']);
  });
});
