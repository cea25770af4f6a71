/** The words of a reminder and of an escalation, in the recipient's language (English and French). */
import { ackRequestLine } from './ack-request.js';
import { describeDuration } from './ack-time.js';
import type { Duration } from './map.js';
import { escapeHtml } from './html.js';
import type { Rendered } from './render.js';

const fr = (locale: string) => locale.toLowerCase().startsWith('fr');

/** Threaded under the original: "Reminder: <its subject>", its text quoted below the request. */
export function reminderMessage(original: { subject: string; text: string }, sentOn: string, locale: string): Rendered {
  const subject = `${fr(locale) ? 'Rappel :' : 'Reminder:'} ${original.subject}`;
  const intro = fr(locale)
    ? `Bonjour,\n\nCe message vous a été envoyé le ${sentOn} et nous n’avons pas encore reçu de réponse.`
    : `Hello,\n\nThis message was sent to you on ${sentOn} and we have not had a reply yet.`;
  const request = ackRequestLine(locale);
  const rule = fr(locale) ? '----- Message d’origine -----' : '----- Original message -----';
  const text = `${intro}\n\n${request}\n\n${rule}\n\n${original.text.replace(/\s+$/, '')}\n`;
  const html = `<!doctype html><html><body><p>${escapeHtml(intro).replace(/\n\n/g, '</p><p>')}</p><p><strong>${escapeHtml(request)}</strong></p><hr><pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(original.text)}</pre></body></html>\n`;
  return { subject, text, html };
}

export interface EscalationFacts {
  title: string;
  summary: string;
  partyName: string;
  sentOn: string;
  within: Duration;
  waiting: string[];
}

export function escalationMessage(f: EscalationFacts, locale: string): Rendered {
  const n = f.waiting.length;
  const wait = describeDuration(f.within);
  const subject = fr(locale)
    ? `Sans réponse : ${f.title} (${f.partyName}, ${n} destinataire${n === 1 ? '' : 's'})`
    : `Not acknowledged: ${f.title} (${f.partyName}, ${n} recipient${n === 1 ? '' : 's'})`;
  const list = f.waiting.map((w) => `- ${w}`).join('\n');
  const text = fr(locale)
    ? `Bonjour,\n\nLe message «\u202f${f.title}\u202f» (${f.summary}) a été envoyé à ${f.partyName} le ${f.sentOn}. ${n === 1 ? 'Ce destinataire n’a pas confirmé' : 'Ces destinataires n’ont pas confirmé'} l’avoir lu après ${frDuration(wait)}\u00a0:\n\n${list}\n\nMerci de vous assurer qu’${n === 1 ? 'il en a' : 'ils en ont'} pris connaissance.\n`
    : `Hello,\n\nThe message "${f.title}" (${f.summary}) was sent to ${f.partyName} on ${f.sentOn}. ${n === 1 ? 'This recipient has' : 'These recipients have'} not confirmed reading it after ${wait}:\n\n${list}\n\nPlease make sure they have read it.\n`;
  const html = `<!doctype html><html><body>${text
    .trim()
    .split('\n\n')
    .map((p) => (p.startsWith('- ') ? `<ul>${p.split('\n').map((l) => `<li>${escapeHtml(l.slice(2))}</li>`).join('')}</ul>` : `<p>${escapeHtml(p)}</p>`))
    .join('')}</body></html>\n`;
  return { subject, text, html };
}

function frDuration(en: string): string {
  return en.replace(/(\d+) working days?/, (_m, n) => `${n} jour${n === '1' ? '' : 's'} ouvré${n === '1' ? '' : 's'}`).replace(/(\d+) days?/, (_m, n) => `${n} jour${n === '1' ? '' : 's'}`).replace(/(\d+) hours?/, (_m, n) => `${n} heure${n === '1' ? '' : 's'}`);
}
