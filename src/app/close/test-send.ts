/**
 * See it before they do: each distinct message of a close, sent once to one address of the
 * user's own, its subject marked [TEST]. Nothing is written to the log (no event at all: the
 * log records what parties were told), no plan is written, and the project stays as it was.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { domainOf, formatAddress, parseAddress, type Address } from '../../domain/address.js';
import type { Decisions, Delivery } from '../../domain/deliveries.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { Transport } from '../../domain/transport.js';
import { EXIT, UsageError } from '../../errors.js';
import type { TransportFlags } from '../../ports.js';
import { renderMessages, type RenderedMessage } from './prepare.js';

export const TEST_PREFIX = '[TEST] ';

export function testAddress(value: string, flag: string): Address {
  const parsed = parseAddress(value);
  if (typeof parsed === 'string') throw new UsageError(`${flag} ${value}: ${parsed}`, `${flag} takes one address, e.g. ${flag} me@example.com`);
  return parsed;
}

/**
 * One message per template, language and set of party notes, in the order of the deliveries:
 * what differs between them beyond the greeting. A recipient with a name stands for the rest.
 */
export function distinctMessages(d: Decisions, messages: RenderedMessage[]): RenderedMessage[] {
  const groups = new Map<string, RenderedMessage>();
  for (const m of messages) {
    const notes = m.delivery.parties.filter((p) => d.notes?.[p]).join(',');
    const key = `${m.delivery.template ?? ''}\0${m.delivery.locale}\0${notes}`;
    const held = groups.get(key);
    if (!held || (!held.delivery.to.name && m.delivery.to.name)) groups.set(key, m);
  }
  return [...groups.values()];
}

export async function sendTests(map: StakeholderMap, d: Decisions, deliveries: Delivery[], date: Date, to: Address, flags: TransportFlags, ctx: Context): Promise<number> {
  const chosen = distinctMessages(d, renderMessages(map, d, deliveries, date, ctx.cwd));
  if (chosen.length === 0) throw new UsageError(`${d.project}: no message to show; no party is told in this close`);
  const transport = await ctx.ports.transports.choose(map, ctx.env, ctx.cwd, flags);
  const composer = await ctx.ports.composers.open('inline');
  let sender: Transport | undefined;
  let failed = 0;
  try {
    sender = await transport.create();
    await sender.verify();
    const run = randomUUID();
    for (const m of chosen) {
      const rendered = m.rendered.expand();
      const messageId = `<notify-test.${createHash('sha256').update(`${run}\0${m.delivery.key}`).digest('hex').slice(0, 24)}@${domainOf(map.from.address)}>`;
      const raw = await composer.compose({
        from: map.from,
        to,
        replyTo: map.projects.get(d.project)?.owner ?? map.replyTo,
        messageId,
        date,
        project: d.project,
        parties: m.delivery.parties,
        rendered: { ...rendered, subject: TEST_PREFIX + rendered.subject },
      });
      const outcome = await sender.send({ from: map.from.address, to: to.address, raw });
      const as = `as ${formatAddress(m.delivery.to)} [${m.delivery.parties.join(', ')}] gets it`;
      if (outcome.status === 'sent') ctx.stderr.write(`${ctx.style.tick} ${TEST_PREFIX}${rendered.subject}  (${as})\n`);
      else {
        failed++;
        ctx.stderr.write(`${ctx.style.cross} not sent (${outcome.status === 'failed' ? `${outcome.code ?? ''} ${outcome.text}`.trim() : outcome.text}): ${rendered.subject}\n`);
      }
    }
  } finally {
    sender?.close();
    composer.close();
  }
  const sent = chosen.length - failed;
  const all = deliveries.length;
  ctx.stderr.write(`${sent} test message${sent === 1 ? '' : 's'} sent to ${to.address} only, standing for the ${all} message${all === 1 ? '' : 's'} the close sends; nothing was recorded and ${d.project} is unchanged.\n`);
  return failed ? EXIT.incomplete : EXIT.ok;
}
