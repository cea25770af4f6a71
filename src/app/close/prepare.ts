/** Render every message of a close before anything is recorded; compose each before the first send. */
import type { StakeholderMap } from '../../domain/map.js';
import { allowedRecipients, type Decisions, type Delivery } from '../../domain/deliveries.js';
import type { Prepared } from '../../domain/execute.js';
import type { OutgoingMessage } from '../../domain/transport.js';
import { render, TemplateError, type Rendered, type TemplateVars } from '../../domain/render.js';
import { sharedRenderer, type Renderer } from '../../domain/render-cache.js';
import { datedKey, templateVars } from '../../domain/vars.js';
import { formatAddress } from '../../domain/address.js';
import { checkHeaders } from '../../adapters/mail/compose.js';
import { inlineComposer, type Composer } from '../../adapters/mail/compose-pool.js';
import { TemplateStore, templateConfigError } from '../../adapters/mail/templates.js';
import { envelopeSender, needsAck, replyTargets, withAckRequest } from '../../domain/ack-request.js';
import { inviteFor, wantsInvite } from '../due/invite.js';

/** A message rendered (every template error found) but not yet composed into bytes. */
export interface RenderedMessage {
  delivery: Delivery;
  rendered: HeldRendering;
  /** What of the date it was rendered with shows in it (the day, whether in effect yet): all that can differ when it is composed. */
  date: string;
}

/**
 * A rendering kept from the check until its message is composed: the text and HTML as UTF-8
 * bytes. As strings they are two bytes a character (one character outside Latin-1 is enough,
 * like the template's dash) and built of many pieces; a close of 10,000 messages held 45 MB
 * of them on the heap, against 18 MB of bytes.
 */
export class HeldRendering {
  readonly subject: string;
  private readonly textBytes: Buffer;
  private readonly htmlBytes: Buffer;

  constructor(r: Rendered) {
    this.subject = r.subject;
    this.textBytes = Buffer.from(r.text, 'utf8');
    this.htmlBytes = Buffer.from(r.html, 'utf8');
  }

  get text(): string {
    return this.textBytes.toString('utf8');
  }

  expand(): Rendered {
    return { subject: this.subject, text: this.text, html: this.htmlBytes.toString('utf8') };
  }
}

export interface PreparedMessage extends Prepared {
  rendered: Rendered;
}

/** Render every message: what a close shows and checks before it records anything. */
export function renderMessages(map: StakeholderMap, d: Decisions, deliveries: Delivery[], date: Date, cwd: string): RenderedMessage[] {
  const store = new TemplateStore(map.dir, cwd);
  const allowed = allowedRecipients(map, d.parties);
  const renderer = sharedRenderer();
  const out: RenderedMessage[] = [];
  for (const delivery of deliveries) {
    // Every envelope recipient is one the map lists for a selected party.
    if (!allowed.has(delivery.key)) throw new Error(`internal: ${delivery.to.address} is not a contact of the selected parties`);
    const vars = templateVars(map, d, delivery, date);
    const rendered = renderOne(store, delivery, vars, map, renderer);
    checkHeaders({ from: map.from, to: delivery.to, rendered });
    out.push({ delivery, rendered: new HeldRendering(rendered), date: datedKey(d, date, delivery.locale) });
  }
  return out;
}

/**
 * Compose rendered messages into the bytes to send, dated `date`. A message rendered with
 * another day's date (a resumed close) is rendered again first.
 */
export function composer(map: StakeholderMap, d: Decisions, date: Date, cwd: string, using: Composer = inlineComposer): (m: RenderedMessage) => Promise<PreparedMessage> {
  const store = new TemplateStore(map.dir, cwd);
  const project = map.projects.get(d.project);
  // Acknowledgements: the owner and the replies mailbox in Reply-To, bounces to the mailbox.
  const replyTo = map.replies?.address ? replyTargets(map, d.project) : (project?.owner ?? map.replyTo);
  const sender = envelopeSender(map);
  const invite = inviteFor(map, d, date); // told in time: a calendar invitation for invite: true parties
  return async ({ delivery, rendered: before, date: renderedOn }) => {
    const rendered = datedKey(d, date, delivery.locale) === renderedOn ? before.expand() : renderOne(store, delivery, templateVars(map, d, delivery, date), map);
    const ics = invite && wantsInvite(map, delivery) ? { invite: await invite() } : {};
    const raw = await using.compose({ from: map.from, to: delivery.to, replyTo, messageId: delivery.messageId, inReplyTo: delivery.inReplyTo, date, project: d.project, parties: delivery.parties, rendered, ...ics });
    return { delivery, rendered, message: { from: sender, to: delivery.to.address, raw, subject: rendered.subject } };
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
 * With `lookahead`, the next messages in order are composed while the current ones are sent
 * (a worker composer then works in parallel with the sends).
 */
export function composedOnDemand(
  map: StakeholderMap,
  d: Decisions,
  messages: RenderedMessage[],
  date: Date,
  cwd: string,
  o: { using?: Composer; lookahead?: number } = {},
): { items: Prepared[]; build: (item: Prepared) => Promise<OutgoingMessage> } {
  const compose = composer(map, d, date, cwd, o.using);
  messages = messages.slice();
  const lookahead = o.lookahead ?? 0;
  const items = messages.map((m) => ({ delivery: m.delivery, message: { from: envelopeSender(map), to: m.delivery.to.address, raw: NOT_COMPOSED } }) as Prepared);
  const position = new Map(items.map((item, i) => [item, i]));
  const started = new Map<number, Promise<OutgoingMessage>>();
  let ahead = 0;
  const start = (i: number) => {
    const m = messages[i];
    messages[i] = undefined as unknown as RenderedMessage; // its rendering is let go once composed
    const p = compose(m).then((c) => c.message);
    p.catch(() => undefined); // rejected ones that are never asked for (an interrupted close)
    started.set(i, p);
  };
  const build = async (item: Prepared) => {
    const i = position.get(item);
    if (i === undefined) throw new Error(`internal: no message for ${item.delivery.to.address} (built once only)`);
    position.delete(item);
    if (!started.has(i)) start(i);
    // Then the next `lookahead` in order that are neither started nor built yet.
    const until = Math.min(items.length, i + 1 + lookahead);
    for (ahead = Math.max(ahead, i + 1); ahead < until; ahead++) if (position.has(items[ahead]) && !started.has(ahead)) start(ahead);
    const p = started.get(i)!;
    started.delete(i);
    return p;
  };
  return { items, build };
}

/** Never sent: a transport given it would send an empty message, so build() must replace it. */
const NOT_COMPOSED = Buffer.alloc(0);

export async function prepareMessages(map: StakeholderMap, d: Decisions, deliveries: Delivery[], date: Date, cwd: string): Promise<PreparedMessage[]> {
  return composeMessages(map, d, renderMessages(map, d, deliveries, date, cwd), date, cwd);
}

function renderOne(store: TemplateStore, delivery: Delivery, vars: TemplateVars, map: StakeholderMap, renderer: Renderer = render): Rendered {
  const template = store.get(delivery.template, delivery.locale);
  try {
    const rendered = renderer(template, vars);
    // A correction's subject is marked around the template's, in the recipient's language.
    const marked = delivery.subjectPrefix ? { ...rendered, subject: `${delivery.subjectPrefix}${rendered.subject}` } : rendered;
    // The request to acknowledge: a line of its own, added after the template (see domain/ack-request.ts).
    return needsAck(map, delivery.parties) ? withAckRequest(marked, delivery.locale) : marked;
  } catch (err) {
    throw err instanceof TemplateError ? templateConfigError(err) : err;
  }
}

export function describe(p: RenderedMessage): string {
  return `${formatAddress(p.delivery.to)}  [${p.delivery.parties.join(', ')}]  "${p.rendered.subject}"`;
}
