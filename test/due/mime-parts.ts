/** A received message taken apart for the told-in-time tests: its MIME parts decoded, its invitation parsed by ical.js. */
import ICAL from 'ical.js';

export interface Part {
  type: string;
  disposition: string;
  body: string;
}

/** The leaf MIME parts of a raw message, each with its headers and decoded body (7bit, quoted-printable or base64). */
export function parts(raw: string): Part[] {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((m) => m[1]);
  const chunks = boundaries.reduce<string[]>((acc, b) => acc.flatMap((c) => c.split(`--${b}`)), [raw]);
  return chunks
    .map((c) => {
      const [head, ...rest] = c.replace(/^\r\n/, '').split('\r\n\r\n');
      const header = (name: string) => new RegExp(`^${name}:\\s*([^\\r\\n]*(?:\\r\\n[ \\t][^\\r\\n]*)*)`, 'im').exec(head)?.[1].replace(/\r\n[ \t]/g, ' ') ?? '';
      let body = rest.join('\r\n\r\n');
      const enc = header('Content-Transfer-Encoding').toLowerCase();
      if (enc === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      if (enc === 'quoted-printable') body = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
      return { type: header('Content-Type'), disposition: header('Content-Disposition'), body };
    })
    .filter((p) => p.type !== '' && !p.type.startsWith('multipart/'));
}

/** The text/plain part, no-break spaces read as spaces. */
export function textOf(raw: string): string {
  return (parts(raw).find((p) => p.type.startsWith('text/plain'))?.body ?? '').replace(/\r\n/g, '\n').replace(/[\u00a0\u202f]/g, ' ');
}

export interface Invitation {
  /** The Content-Type of the text/calendar part (its method= parameter). */
  type: string;
  method: string;
  uid: string;
  sequence: number;
  status: string | null;
  /** As written: "2027-01-28T09:00:00" or "2027-01-28" for an all-day event. */
  start: string;
  /** DTEND as written, like start. */
  end: string;
  tzid: string | null;
  /** The start as an instant, the zone taken from the file's own VTIMEZONE. */
  startUtc: string;
  alarms: number;
  /** The invite.ics attachment is the same event. */
  attached: boolean;
}

/** The calendar invitation a message carries, parsed by ical.js; undefined when it carries none. */
export function invitationOf(raw: string): Invitation | undefined {
  const ps = parts(raw);
  const cal = ps.find((p) => p.type.startsWith('text/calendar'));
  if (!cal) return undefined;
  const file = ps.find((p) => /filename="?invite\.ics/.test(p.disposition));
  const root = new ICAL.Component(ICAL.parse(cal.body));
  const vevent = root.getFirstSubcomponent('vevent')!;
  const start = vevent.getFirstProperty('dtstart')!;
  root.getAllSubcomponents('vtimezone').forEach((tz) => ICAL.TimezoneService.register(new ICAL.Timezone(tz)));
  const startUtc = (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString();
  ICAL.TimezoneService.reset();
  return {
    type: cal.type,
    method: String(root.getFirstPropertyValue('method')),
    uid: String(vevent.getFirstPropertyValue('uid')),
    sequence: Number(vevent.getFirstPropertyValue('sequence')),
    status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
    start: String(vevent.getFirstPropertyValue('dtstart')),
    end: String(vevent.getFirstPropertyValue('dtend')),
    tzid: (start.getParameter('tzid') as string | undefined) ?? null,
    startUtc,
    alarms: vevent.getAllSubcomponents('valarm').length,
    attached: file?.body.trim() === cal.body.trim(),
  };
}
