import { describe, expect, it } from 'vitest';
import { composedOnDemand, composeMessages, prepareMessages, renderMessages } from '../../src/app/close/prepare.js';
import { executeDeliveries } from '../../src/domain/execute.js';
import type { NewEvent } from '../../src/domain/events.js';
import type { OutgoingMessage } from '../../src/domain/transport.js';
import { composeMessage, type ComposeInput } from '../../src/adapters/mail/compose.js';
import { planDeliveries, type Decisions } from '../../src/domain/deliveries.js';
import { mapFrom, SMALL_MAP } from '../fixtures/maps.js';
import { scratchDirs } from '../fixtures/scratch.js';

const map = mapFrom(SMALL_MAP, `${scratchDirs('all')()}/notify.yaml`);
const decisions: Decisions = { project: 'promo', title: 'Summer prices', actions: ['pricing'], parties: ['support', 'sales', 'boss'], skipped: [], summary: 'New prices' };
const deliveries = planDeliveries(map, decisions);
const day1 = new Date('2027-01-05T09:00:00Z');
const day1Later = new Date('2027-01-05T17:30:00Z');
const day2 = new Date('2027-01-06T08:00:00Z');

describe('a close renders first and composes under the lock', () => {
  it('gives the same bytes as rendering and composing at once', async () => {
    const direct = await prepareMessages(map, decisions, deliveries, day1Later, map.dir);
    const later = await composeMessages(map, decisions, renderMessages(map, decisions, deliveries, day1, map.dir), day1Later, map.dir);
    expect(later.map((m) => m.message.raw.toString())).toEqual(direct.map((m) => m.message.raw.toString()));
  });

  it('reuses a rendering only when every template variable is the same at the recorded date', async () => {
    // In effect from noon on day 1: the morning says "from", the evening "since".
    const d: Decisions = { ...decisions, effective: '2027-01-05 12:00', timezone: 'UTC' };
    const rendered = renderMessages(map, d, deliveries, day1, map.dir);
    const sameMorning = await composeMessages(map, d, rendered, new Date('2027-01-05T11:00:00Z'), map.dir);
    expect(sameMorning[0].rendered).toEqual(rendered[0].rendered.expand());
    expect(rendered[0].rendered.text).toContain('From Tuesday 5 January at 12:00.');
    const evening = await composeMessages(map, d, rendered, day1Later, map.dir);
    expect(evening[0].rendered.text).toContain('Since Tuesday 5 January at 12:00.');
    expect(evening[0].message.raw.toString()).toContain('Since Tuesday 5 January');
    const nextDay = await composeMessages(map, d, rendered, day2, map.dir);
    expect(nextDay[0].rendered.subject).toBe('[Acme] Since 5 Jan: New prices');
  });

  it('refuses a header with a line break while rendering, before anything is recorded', () => {
    // The renderer itself names the template line; composing would refuse it too.
    expect(() => renderMessages(map, { ...decisions, summary: 'New\nprices' }, deliveries, day1, map.dir)).toThrow(/close\.en\.md:\d+/);
  });

  it('composes on demand the same bytes, one message at a time, and never attempts one it cannot build', async () => {
    const rendered = renderMessages(map, decisions, deliveries, day1, map.dir);
    const upfront = await composeMessages(map, decisions, rendered, day1, map.dir);
    const { items, build } = composedOnDemand(map, decisions, rendered, day1, map.dir);
    const sent: OutgoingMessage[] = [];
    const log: NewEvent[] = [];
    const transport = { kind: 'smtp' as const, verify: async () => undefined, close: () => undefined, send: async (m: OutgoingMessage) => (sent.push(m), { status: 'sent' as const, response: '250 ok' }) };
    const sink = { append: async (e: NewEvent) => void log.push(e) };
    const failing = async (item: (typeof items)[number]) => {
      if (item === items[1]) throw new Error('cannot build');
      return build(item);
    };
    const opts = { project: 'promo', concurrency: 1, retryDelaysMs: [], signal: new AbortController().signal };
    await expect(executeDeliveries(items, transport, sink, { ...opts, build: failing })).rejects.toThrow('cannot build');
    expect(sent.map((m) => m.raw.toString())).toEqual([upfront[0].message.raw.toString()]);
    expect(log.filter((e) => e.event === 'notification.attempt').map((e) => (e as { recipient: string }).recipient)).toEqual([items[0].delivery.to.address]);
    await executeDeliveries(items.slice(1), transport, sink, { ...opts, build });
    expect(sent.map((m) => m.raw.toString())).toEqual(upfront.map((m) => m.message.raw.toString()));
  });

  it('with lookahead, composes ahead in order; a message that fails ahead fails only when its turn comes', async () => {
    const rendered = renderMessages(map, decisions, deliveries, day1, map.dir);
    expect(rendered.length).toBeGreaterThanOrEqual(3);
    const upfront = await composeMessages(map, decisions, rendered, day1, map.dir);
    const asked: string[] = [];
    const failFor = rendered[2].delivery.to.address;
    const using = {
      compose: async (input: ComposeInput) => {
        asked.push(input.to.address);
        if (input.to.address === failFor) throw new Error('cannot compose');
        return composeMessage(input);
      },
      close: () => undefined,
    };
    const { items, build } = composedOnDemand(map, decisions, rendered, day1, map.dir, { using, lookahead: 2 });
    const first = await build(items[0]);
    // The first message and the next two were asked for, in order, before the first was sent.
    expect(asked).toEqual(rendered.slice(0, 3).map((m) => m.delivery.to.address));
    expect(first.raw.equals(upfront[0].message.raw)).toBe(true);
    expect((await build(items[1])).raw.equals(upfront[1].message.raw)).toBe(true);
    await expect(build(items[2])).rejects.toThrow('cannot compose');
    await expect(build(items[0])).rejects.toThrow(/built once only/);
  });
});
