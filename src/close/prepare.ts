/** Render every message of a close before anything is recorded; compose each before the first send. */
import type { StakeholderMap } from '../core/map.js';
import { allowedRecipients, type Decisions, type Delivery } from '../core/plan.js';
import type { Prepared } from '../core/execute.js';
import type { OutgoingMessage } from '../core/transport.js';
import { render, TemplateError, type Rendered, type TemplateVars } from '../core/render.js';
import { templateVars } from '../core/vars.js';
import { formatAddress } from '../core/address.js';
import { checkHeaders, composeMessage } from '../io/compose.js';
import { TemplateStore, templateConfigError } from '../io/templates.js';

/** A message rendered (every template error found) but not yet composed into bytes. */
export interface RenderedMessage {
  delivery: Delivery;
  rendered: Rendered;
  /** The template variables it was rendered with (JSON), to know when it can be reused. */
  vars: string;
}

export interface PreparedMessage extends Prepared {
  rendered: Rendered;
}

/** Render every message: what a close shows and checks before it records anything. */
export function renderMessages(map: StakeholderMap, d: Decisions, deliveries: Delivery[], date: Date, cwd: string): RenderedMessage[] {
  const store = new TemplateStore(map.dir, cwd);
  const allowed = allowedRecipients(map, d.parties);
  const out: RenderedMessage[] = [];
  for (const delivery of deliveries) {
    // Every envelope recipient is one the map lists for a selected party.
    if (!allowed.has(delivery.key)) throw new Error(`internal: ${delivery.to.address} is not a contact of the selected parties`);
    const vars = templateVars(map, d, delivery, date);
    const rendered = renderOne(store, delivery, vars);
    checkHeaders({ from: map.from, to: delivery.to, rendered });
    out.push({ delivery, rendered, vars: JSON.stringify(vars) });
  }
  return out;
}

/**
 * Compose rendered messages into the bytes to send, dated `date`. A message whose variables
 * differ at that date (the date is one of them) is rendered again first.
 */
export function composer(map: StakeholderMap, d: Decisions, date: Date, cwd: string): (m: RenderedMessage) => Promise<PreparedMessage> {
  const store = new TemplateStore(map.dir, cwd);
  const project = map.projects.get(d.project);
  const replyTo = project?.owner ?? map.replyTo;
  return async ({ delivery, rendered: before, vars }) => {
    const now = templateVars(map, d, delivery, date);
    const rendered = JSON.stringify(now) === vars ? before : renderOne(store, delivery, now);
    const raw = await composeMessage({ from: map.from, to: delivery.to, replyTo, messageId: delivery.messageId, date, project: d.project, parties: delivery.parties, rendered });
    return { delivery, rendered, message: { from: map.from.address, to: delivery.to.address, raw } };
  };
}

export async function composeMessages(map: StakeholderMap, d: Decisions, messages: RenderedMessage[], date: Date, cwd: string): Promise<PreparedMessage[]> {
  const compose = composer(map, d, date, cwd);
  const out: PreparedMessage[] = [];
  for (const m of messages) out.push(await compose(m));
  return out;
}

/**
 * The deliveries of a close with their messages composed only when their turn comes (see
 * ExecuteOptions.build): the bytes of the messages in flight are in memory, not of all of them.
 */
export function composedOnDemand(map: StakeholderMap, d: Decisions, messages: RenderedMessage[], date: Date, cwd: string): { items: Prepared[]; build: (item: Prepared) => Promise<OutgoingMessage> } {
  const compose = composer(map, d, date, cwd);
  const source = new Map<Prepared, RenderedMessage>();
  const items = messages.map((m) => {
    const item: Prepared = { delivery: m.delivery, message: { from: map.from.address, to: m.delivery.to.address, raw: NOT_COMPOSED } };
    source.set(item, m);
    return item;
  });
  const build = async (item: Prepared) => {
    const m = source.get(item);
    if (!m) throw new Error(`internal: no message for ${item.delivery.to.address} (built once only)`);
    source.delete(item);
    return (await compose(m)).message;
  };
  return { items, build };
}

/** Never sent: a transport given it would send an empty message, so build() must replace it. */
const NOT_COMPOSED = Buffer.alloc(0);

export async function prepareMessages(map: StakeholderMap, d: Decisions, deliveries: Delivery[], date: Date, cwd: string): Promise<PreparedMessage[]> {
  return composeMessages(map, d, renderMessages(map, d, deliveries, date, cwd), date, cwd);
}

function renderOne(store: TemplateStore, delivery: Delivery, vars: TemplateVars): Rendered {
  const template = store.get(delivery.template, delivery.locale);
  try {
    return render(template, vars);
  } catch (err) {
    throw err instanceof TemplateError ? templateConfigError(err) : err;
  }
}

export function describe(p: RenderedMessage): string {
  return `${formatAddress(p.delivery.to)}  [${p.delivery.parties.join(', ')}]  "${p.rendered.subject}"`;
}
