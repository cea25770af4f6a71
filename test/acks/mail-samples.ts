/**
 * Messages as real clients and servers write them, for IMAP APPEND: replies from Outlook (EN and
 * FR), Gmail, Apple Mail and Thunderbird, out-of-office replies, a Postfix bounce report.
 * Each answers `original` (the Message-ID notify sent) the way that client threads a reply.
 */

export interface Original {
  messageId: string;
  subject: string;
  /** The person who received it (and replies). */
  from: string;
  /** Where the reply goes: the Reply-To of the notification. */
  to: string;
}

const DATE = 'Mon, 03 Mar 2025 10:12:00 +0100';

function headers(lines: Record<string, string>): string {
  return Object.entries(lines)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
}

/** Outlook (Windows): In-Reply-To and References, the quoted message under a "De : / Envoyé :" block, no ">" quoting. */
export function outlookReply(o: Original, id: string, words: string, lang: 'en' | 'fr'): string {
  const block =
    lang === 'fr'
      ? `De : Projets <projets@exemple.fr>\r\nEnvoyé : lundi 3 mars 2025 10:02\r\nÀ : ${o.from}\r\nObjet : ${o.subject}`
      : `From: Projets <projets@exemple.fr>\r\nSent: Monday, March 3, 2025 10:02 AM\r\nTo: ${o.from}\r\nSubject: ${o.subject}`;
  return `${headers({
    From: o.from,
    To: o.to,
    Subject: `${lang === 'fr' ? 'RE' : 'RE'}: ${o.subject}`,
    Date: DATE,
    'Message-ID': id,
    'In-Reply-To': o.messageId,
    References: o.messageId,
    'Thread-Topic': o.subject,
    'X-MS-Has-Attach': '',
    'Content-Language': lang === 'fr' ? 'fr-FR' : 'en-US',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset="utf-8"',
    'Content-Transfer-Encoding': '8bit',
  })}\r\n\r\n${words}\r\n\r\n${block}\r\n\r\nBonjour,\r\nLes tarifs changent le 1er mars.\r\n`;
}

/** Gmail: multipart/alternative, "On ... wrote:" (or "Le ... a écrit :") and ">" quoting. */
export function gmailReply(o: Original, id: string, words: string, lang: 'en' | 'fr'): string {
  const intro = lang === 'fr' ? `Le lun. 3 mars 2025 à 10:02, Projets <projets@exemple.fr> a écrit :` : `On Mon, Mar 3, 2025 at 10:02 AM Projets <projets@exemple.fr> wrote:`;
  const boundary = '000000000000a1b2c3d4e5f6';
  return `${headers({
    'MIME-Version': '1.0',
    References: o.messageId,
    'In-Reply-To': o.messageId,
    From: o.from,
    Date: DATE,
    'Message-ID': id,
    Subject: `Re: ${o.subject}`,
    To: o.to,
    'Content-Type': `multipart/alternative; boundary="${boundary}"`,
  })}\r\n\r\n--${boundary}\r\nContent-Type: text/plain; charset="UTF-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${words}\r\n\r\n${intro}\r\n\r\n> Bonjour,\r\n> Les tarifs changent le 1er mars.\r\n>\r\n\r\n--${boundary}\r\nContent-Type: text/html; charset="UTF-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<div dir="ltr">${words}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">${intro}<br></div><blockquote class="gmail_quote">Bonjour,<br>Les tarifs changent le 1er mars.</blockquote></div>\r\n--${boundary}--\r\n`;
}

/** Apple Mail: the quote header indented inside the quote ("> Le 3 mars 2025 à 10:02, ... a écrit :"). */
export function appleMailReply(o: Original, id: string, words: string): string {
  return `${headers({
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Transfer-Encoding': 'quoted-printable',
    'Mime-Version': '1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))',
    Subject: `Re: ${o.subject}`,
    From: o.from,
    'In-Reply-To': o.messageId,
    Date: DATE,
    'Message-Id': id,
    References: o.messageId,
    To: o.to,
    'X-Mailer': 'Apple Mail (2.3774.600.62)',
  })}\r\n\r\n${qp(words)}\r\n\r\n> Le 3 mars 2025 =C3=A0 10:02, Projets <projets@exemple.fr> a =C3=A9crit =\r\n:\r\n>=20\r\n> Bonjour,\r\n> Les tarifs changent le 1er mars.\r\n\r\n`;
}

/** Thunderbird: "Le 03/03/2025 à 10:02, Projets a écrit :" above a ">" quote, format=flowed. */
export function thunderbirdReply(o: Original, id: string, words: string): string {
  return `${headers({
    'Message-ID': id,
    Date: DATE,
    'MIME-Version': '1.0',
    'User-Agent': 'Mozilla Thunderbird',
    Subject: `Re: ${o.subject}`,
    'Content-Language': 'fr',
    To: o.to,
    References: o.messageId,
    From: o.from,
    'In-Reply-To': o.messageId,
    'Content-Type': 'text/plain; charset=UTF-8; format=flowed',
    'Content-Transfer-Encoding': '8bit',
  })}\r\n\r\n${words}\r\n\r\nLe 03/03/2025 à 10:02, Projets a écrit :\r\n> Bonjour,\r\n> Les tarifs changent le 1er mars.\r\n`;
}

/** Out of office: Outlook (French) marks it with headers; the English one only by its subject. */
export function outOfOffice(o: Original, id: string, lang: 'en' | 'fr'): string {
  const h: Record<string, string> =
    lang === 'fr'
      ? { Subject: `Réponse automatique : ${o.subject}`, 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
      : { Subject: `Out of Office: ${o.subject}` };
  const body = lang === 'fr' ? 'Je suis absente jusqu’au 10 mars. Pour toute urgence, contactez l’agence.' : 'I am out of the office until March 10 with limited access to e-mail.';
  return `${headers({ From: o.from, To: o.to, ...h, Date: DATE, 'Message-ID': id, 'In-Reply-To': o.messageId, References: o.messageId, 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit' })}\r\n\r\n${body}\r\n`;
}

/** A Postfix bounce: multipart/report; report-type=delivery-status, the original's headers attached. */
export function postfixBounce(o: Original, id: string, replies: string): string {
  const b = '8A1F2C3D4E.1741000000/mx.exemple.fr';
  return `${headers({
    'Return-Path': '<>',
    'Delivered-To': replies,
    Date: DATE,
    From: 'MAILER-DAEMON@mx.exemple.fr (Mail Delivery System)',
    Subject: 'Undelivered Mail Returned to Sender',
    To: replies,
    'Auto-Submitted': 'auto-replied',
    'MIME-Version': '1.0',
    'Content-Type': `multipart/report; report-type=delivery-status;\r\n\tboundary="${b}"`,
    'Content-Transfer-Encoding': '8bit',
    'Message-Id': id,
  })}\r\n\r\nThis is a MIME-encapsulated message.\r\n\r\n--${b}\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThis is the mail system at host mx.exemple.fr.\r\n\r\nI'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.\r\n\r\n<${o.from}>: host mail.exemple.fr[192.0.2.7] said: 550 5.1.1\r\n    <${o.from}>: Recipient address rejected: User unknown in virtual mailbox\r\n    table (in reply to RCPT TO command)\r\n\r\n--${b}\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.exemple.fr\r\nX-Postfix-Queue-ID: 8A1F2C3D4E\r\nX-Postfix-Sender: rfc822; ${replies}\r\nArrival-Date: Mon,  3 Mar 2025 10:02:01 +0100 (CET)\r\n\r\nFinal-Recipient: rfc822; ${o.from}\r\nOriginal-Recipient: rfc822;${o.from}\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mail.exemple.fr\r\nDiagnostic-Code: smtp; 550 5.1.1 <${o.from}>: Recipient address rejected: User\r\n    unknown in virtual mailbox table\r\n\r\n--${b}\r\nContent-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\nReturn-Path: <${replies}>\r\nFrom: Projets <projets@exemple.fr>\r\nTo: ${o.from}\r\nSubject: ${o.subject}\r\nMessage-ID: ${o.messageId}\r\n\r\n--${b}--\r\n`;
}

function qp(s: string): string {
  return Buffer.from(s, 'utf8')
    .toString('latin1')
    .replace(/[^\x20-\x7e\r\n]|=/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
