/** Render every message of a close before anything is recorded; compose each before the first send. */
import type { StakeholderMap } from '../core/map.js';
import { allowedRecipients, type Decisions, type Delivery } from '../core/plan.js';
import type { Prepared } from '../core/execute.js';
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
export async function composeMessages(map: StakeholderMap, d: Decisions, messages: RenderedMessage[], date: Date, cwd: string): Promise<PreparedMessage[]> {
  const store = new TemplateStore(map.dir, cwd);
  const project = map.projects.get(d.project);
  const replyTo = project?.owner ?? map.replyTo;
  const out: PreparedMessage[] = [];
  for (const { delivery, rendered: before, vars } of messages) {
    const now = templateVars(map, d, delivery, date);
    const rendered = JSON.stringify(now) === vars ? before : renderOne(store, delivery, now);
    const raw = await composeMessage({ from: map.from, to: delivery.to, replyTo, messageId: delivery.messageId, date, project: d.project, parties: delivery.parties, rendered });
    out.push({ delivery, rendered, message: { from: map.from.address, to: delivery.to.address, raw } });
  }
  return out;
}

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
