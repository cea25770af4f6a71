import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNotify } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { DUE_MAP, planned, workspace } from './fixture.js';
import { parts } from './mime-parts.js';

const MAP = DUE_MAP.replace('    notice: { working_days: 2 }\n', '    notice: { working_days: 2 }\n    invite: true\n');
// Long before the deadlines: the gate has nothing to say.
const now = () => new Date('2026-12-01T09:00:00Z');

describe('calendar invitations for invite: true parties', () => {
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
  });
  afterEach(() => smtp.close());

  it('carry a METHOD:REQUEST event at the effective date in the calendar zone, organised by the owner, with a stable UID', async () => {
    const dir = scratchDir();
    workspace(dir, planned('ecard', '2026-11-30T08:00:00.000Z', '2027-01-07T09:00', ['advisers', 'sales'], { title: 'New Year e-card', details: 'Sent to 40,000 customers.' }), MAP);
    const r = await runNotify(['close', 'ecard', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url }, now });
    expect(r.code, r.stderr).toBe(0);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['advisers@acme.test', 'ann@acme.test', 'sales@acme.test']);

    const events = smtp.received
      .filter((m) => m.to[0] !== 'sales@acme.test')
      .map((m) => {
        const ps = parts(m.raw);
        const alternative = ps.find((p) => p.type.startsWith('text/calendar'));
        const file = ps.find((p) => /filename="?invite\.ics/.test(p.disposition));
        expect(alternative?.type).toMatch(/^text\/calendar;.*method=REQUEST/i);
        expect(file?.body.trim()).toBe(alternative?.body.trim());
        return new ICAL.Component(ICAL.parse(alternative!.body));
      });
    // The sales party did not ask for an invitation.
    expect(parts(smtp.received.find((m) => m.to[0] === 'sales@acme.test')!.raw).some((p) => /calendar|ics/.test(p.type + p.disposition))).toBe(false);

    for (const cal of events) {
      expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
      const vevent = cal.getFirstSubcomponent('vevent')!;
      const start = vevent.getFirstProperty('dtstart')!;
      expect(start.getParameter('tzid')).toBe('Europe/Paris');
      expect(vevent.getFirstPropertyValue('dtstart')!.toString()).toBe('2027-01-07T09:00:00');
      // The zone is defined in the file, so the instant is known: 08:00 UTC.
      cal.getAllSubcomponents('vtimezone').forEach((tz) => ICAL.TimezoneService.register(new ICAL.Timezone(tz)));
      expect((vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe('2027-01-07T08:00:00.000Z');
      ICAL.TimezoneService.reset();
      expect(vevent.getFirstPropertyValue('summary')).toBe('New Year e-card');
      expect(vevent.getFirstPropertyValue('description')).toBe('ecard summary\n\nSent to 40,000 customers.');
      expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:jo@acme.test');
      expect(vevent.getFirstProperty('organizer')!.getParameter('cn')).toBe('Jo');
      expect(vevent.getFirstPropertyValue('sequence')).toBe(0);
      const alarm = vevent.getFirstSubcomponent('valarm')!;
      expect(alarm.getFirstPropertyValue('trigger')!.toString()).toBe('-P1D');
    }
    const uids = events.map((c) => c.getFirstSubcomponent('vevent')!.getFirstPropertyValue('uid'));
    expect(uids).toEqual(['notify.ecard@acme.test', 'notify.ecard@acme.test']);
  });

  it('are built the same again: the preview of the close shows the very invitation that was sent', async () => {
    const dir = scratchDir();
    workspace(dir, planned('ecard', '2026-11-30T08:00:00.000Z', '2027-01-07', ['advisers']), MAP);
    const preview = await runNotify(['preview', 'ecard', '--json', '--out', 'preview'], { cwd: dir, now });
    expect(preview.code, preview.stderr).toBe(0);
    const shown = JSON.parse(preview.stdout).messages.map((m: any) => parts(fs.readFileSync(path.resolve(dir, m.eml), 'utf8')).find((p) => p.type.startsWith('text/calendar'))!.body.trim());
    const r = await runNotify(['close', 'ecard', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url }, now });
    expect(r.code, r.stderr).toBe(0);
    const sent = smtp.received.map((m) => parts(m.raw).find((p) => p.type.startsWith('text/calendar'))!.body.trim());
    expect(sent).toHaveLength(2);
    expect(new Set([...sent, ...shown]).size).toBe(1);
    const vevent = new ICAL.Component(ICAL.parse(sent[0])).getFirstSubcomponent('vevent')!;
    // A date alone is an all-day event on that date.
    expect(vevent.getFirstPropertyValue('dtstart')!.toString()).toBe('2027-01-07');
    expect(vevent.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-11-30T08:00:00Z');
  });
});
