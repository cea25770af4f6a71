/**
 * A reply's own words, its quoted history removed by email-reply-parser (which knows the quote
 * headers of English and French clients: "On ... wrote:", "Le ... a écrit :", "De : ... Envoyé : ...").
 */
import EmailReplyParser from 'email-reply-parser';

/** Outlook's header block of the quoted message, which the parser may leave in: cut there too. */
const OUTLOOK_HEADER = /^\s*(?:From|De)\s?:.*\n\s*(?:Sent|Envoyé|Date)\s?:/im;
const SEPARATOR = /^\s*(?:-{2,}\s*(?:Original Message|Message d'origine)\s*-{2,}|_{10,})\s*$/im;

export function visibleText(text: string): string {
  const normalized = text.replace(/\r\n/g, '\n');
  let visible = new EmailReplyParser().parseReply(normalized);
  for (const cut of [OUTLOOK_HEADER, SEPARATOR]) {
    const m = cut.exec(visible);
    if (m) visible = visible.slice(0, m.index);
  }
  return visible;
}
