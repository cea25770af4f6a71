/**
 * What a message to a party that must acknowledge says and carries: one line at its end asking
 * for a reply, in the recipient's language, and reply addresses that reach both a person (the
 * project's owner) and the replies mailbox notify reads.
 */
import type { Address } from './address.js';
import type { StakeholderMap } from './map.js';
import { escapeHtml } from './html.js';
import type { Rendered } from './render.js';

const REQUEST: Record<string, string> = {
  en: 'Please reply to this message (any reply, "OK" is enough) to confirm you have read it.',
  // French typography: narrow no-break spaces inside the guillemets.
  fr: 'Merci de répondre à ce message (un simple «\u202fOK\u202f» suffit) pour confirmer que vous l’avez lu.',
};

export function ackRequestLine(locale: string): string {
  return REQUEST[locale.toLowerCase().split('-')[0]] ?? REQUEST.en;
}

/** The request appended to the text and the HTML of a message (before </body> when there is one). */
export function withAckRequest(r: Rendered, locale: string): Rendered {
  const line = ackRequestLine(locale);
  const html = `<p class="notify-ack-request"><strong>${escapeHtml(line)}</strong></p>\n`;
  // Above the signature ("— name", the shipped templates' last line) when there is one: the
  // request is part of the message, not a postscript under the sender's name.
  const sig = r.text.lastIndexOf('\n— ');
  const text = sig >= 0 ? `${r.text.slice(0, sig).replace(/\s+$/, '')}\n\n${line}\n\n${r.text.slice(sig + 1)}` : `${r.text.replace(/\s+$/, '')}\n\n${line}\n`;
  const sigHtml = [...r.html.matchAll(/<p[^>]*>\s*(?:—|&mdash;|&#8212;)/g)].pop()?.index;
  const at = sigHtml ?? r.html.search(/<\/body>/i);
  return {
    subject: r.subject,
    text,
    html: at >= 0 ? `${r.html.slice(0, at)}${html}${r.html.slice(at)}` : `${r.html}${html}`,
  };
}

export function needsAck(map: StakeholderMap, parties: string[]): boolean {
  return parties.some((p) => map.parties.get(p)?.ack?.required === true);
}

/**
 * Reply-To: the person (the project's owner, else reply_to) and, when the map names a replies
 * mailbox, that mailbox too, so a reply reaches both. Without an owner or reply_to, the sender
 * stands for the person.
 */
export function replyTargets(map: StakeholderMap, project: string): Address | Address[] | undefined {
  const person = map.projects.get(project)?.owner ?? map.replyTo;
  const box = map.replies?.address;
  if (!box) return person;
  return [person ?? map.from, box];
}

/** The envelope sender (MAIL FROM): bounces return to the replies mailbox when there is one. */
export function envelopeSender(map: StakeholderMap): string {
  return map.replies?.address?.address ?? map.from.address;
}
