/** Render and compose every message of a close before the first one is sent. */
import type { StakeholderMap } from '../core/map.js';
import { allowedRecipients, type Decisions, type Delivery } from '../core/plan.js';
import type { Prepared } from '../core/execute.js';
import { render, TemplateError, type Rendered } from '../core/render.js';
import { templateVars } from '../core/vars.js';
import { formatAddress } from '../core/address.js';
import { composeMessage } from '../io/compose.js';
import { TemplateStore, templateConfigError } from '../io/templates.js';

export interface PreparedMessage extends Prepared {
  rendered: Rendered;
}

export async function prepareMessages(map: StakeholderMap, d: Decisions, deliveries: Delivery[], date: Date, cwd: string): Promise<PreparedMessage[]> {
  const store = new TemplateStore(map.dir, cwd);
  const allowed = allowedRecipients(map, d.parties);
  const project = map.projects.get(d.project);
  const replyTo = project?.owner ?? map.replyTo;
  const out: PreparedMessage[] = [];
  for (const delivery of deliveries) {
    // Every envelope recipient is one the map lists for a selected party.
    if (!allowed.has(delivery.key)) throw new Error(`internal: ${delivery.to.address} is not a contact of the selected parties`);
    const template = store.get(delivery.template, delivery.locale);
    let rendered: Rendered;
    try {
      rendered = render(template, templateVars(map, d, delivery, date));
    } catch (err) {
      throw err instanceof TemplateError ? templateConfigError(err) : err;
    }
    const raw = await composeMessage({ from: map.from, to: delivery.to, replyTo, messageId: delivery.messageId, date, project: d.project, parties: delivery.parties, rendered });
    out.push({ delivery, rendered, message: { from: map.from.address, to: delivery.to.address, raw } });
  }
  return out;
}

export function describe(p: PreparedMessage): string {
  return `${formatAddress(p.delivery.to)}  [${p.delivery.parties.join(', ')}]  "${p.rendered.subject}"`;
}
