/**
 * notify remind against the loopback SMTP server, with replies read from a real Dovecot: one
 * reminder per person after remind_after, one escalation after within, never twice; a reply to
 * the reminder acknowledges the original.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLogEvents, runNotify } from '../helpers/workspace.js';
import { ackWorld, originalFor, REPLIES } from './fixture.js';
import { gmailReply, outlookReply, postfixBounce } from './mail-samples.js';

const w = ackWorld();

const notify = async (...args: string[]) => {
  const r = await runNotify(args, { cwd: w.dir, env: { NOTIFY_SMTP_URL: w.smtp.url, NOTIFY_IMAP_PASSWORD: w.imap.password, NOTIFY_NO_CACHE: '1' } });
  return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
};
const events = (kind: string) => readLogEvents(w.dir).filter((e) => e.event === kind);

/** As if everything in the log happened `days` ago: the waits of the map are over. */
function ageLog(days: number): void {
  const file = path.join(w.dir, '.notify', 'log.jsonl');
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
    const e = JSON.parse(l);
    return JSON.stringify({ ...e, ts: new Date(Date.parse(e.ts) - days * 86_400_000).toISOString() });
  });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

const header = (raw: string, name: string) => new RegExp(`^${name}:((?:.*)(?:\\r\\n[ \\t].*)*)`, 'im').exec(raw)?.[1].replace(/\r\n[ \t]+/g, ' ').trim();

describe('notify remind', () => {
  it('reminds each person who has not acknowledged once, escalates once, and a rerun sends nothing', async () => {
    expect((await notify('close', 'tarifs-2026', '--yes')).exitCode).toBe(0);
    const o = (a: string) => originalFor(w.smtp.received, a);
    await w.imap.append(outlookReply(o('alice@exemple.fr'), '<ack.alice@exemple.fr>', 'Bien reçu.', 'fr'));
    await w.imap.append(postfixBounce(o('david@exemple.fr'), '<dsn.david@mx.exemple.fr>', REPLIES));
    expect((await notify('acks')).exitCode).toBe(0);

    // Too early: nothing is due yet.
    const early = await notify('remind', 'tarifs-2026', '--yes');
    expect(early.exitCode).toBe(0);
    expect(early.stderr).toContain('Nothing to send for tarifs-2026 now; the next reminder or escalation is due on');
    const sent = w.smtp.received.length;

    ageLog(10);
    const dry = await notify('remind', 'tarifs-2026', '--dry-run');
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('Dry run: would send 5 messages');
    expect(w.smtp.received).toHaveLength(sent);
    expect(readLogEvents(w.dir).filter((e) => e.event.startsWith('ack.') && e.event !== 'ack.received')).toEqual([]);

    const r = await notify('remind', 'tarifs-2026', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    const news = w.smtp.received.slice(sent);
    // Alice acknowledged, David's message bounced: neither is reminded.
    expect(news.map((m) => m.to[0]).sort()).toEqual(['bruno@exemple.fr', 'chloe@exemple.fr', 'dg@exemple.fr', 'emma@exemple.fr', 'felix@exemple.fr']);
    const toBruno = news.find((m) => m.to[0] === 'bruno@exemple.fr')!;
    expect(toBruno.subject).toBe(`Rappel : ${o('bruno@exemple.fr').subject}`);
    expect(header(toBruno.raw, 'In-Reply-To')).toBe(o('bruno@exemple.fr').messageId);
    expect(header(toBruno.raw, 'References')).toBe(o('bruno@exemple.fr').messageId);
    expect(news.find((m) => m.to[0] === 'emma@exemple.fr')!.subject).toBe(`Reminder: ${o('emma@exemple.fr').subject}`);
    expect(news.every((m) => m.from === REPLIES)).toBe(true);
    const toDg = news.find((m) => m.to[0] === 'dg@exemple.fr')!;
    expect(toDg.subject).toBe('Sans réponse : Nouveaux tarifs 2026 (Conseillers, 3 destinataires)');
    for (const who of ['bruno@exemple.fr', 'chloe@exemple.fr', 'felix@exemple.fr']) expect(toDg.raw).toContain(who);
    expect(toDg.raw).not.toContain('alice@exemple.fr');

    expect(events('ack.attempt')).toHaveLength(5);
    expect(events('ack.reminded').map((e) => e.recipient).sort()).toEqual(['bruno@exemple.fr', 'chloe@exemple.fr', 'emma@exemple.fr', 'felix@exemple.fr']);
    expect(events('ack.reminded').find((e) => e.recipient === 'bruno@exemple.fr')).toMatchObject({ party: 'conseillers', in_reply_to: o('bruno@exemple.fr').messageId, message_id: toBruno.messageId });
    expect(events('ack.escalated')).toEqual([expect.objectContaining({ recipient: 'dg@exemple.fr', party: 'conseillers', waiting: ['bruno@exemple.fr', 'chloe@exemple.fr', 'felix@exemple.fr'] })]);
    // Reminders are not notifications: the close's record is unchanged.
    expect(events('notification.attempt')).toHaveLength(7);

    const again = await notify('remind', 'tarifs-2026', '--yes');
    expect(again.exitCode).toBe(0);
    expect(w.smtp.received).toHaveLength(sent + 5);
    expect((await notify('log', '--verify')).exitCode).toBe(0);

    // Bruno answers the reminder: it acknowledges the notification it reminded him of.
    await w.imap.append(gmailReply({ ...o('bruno@exemple.fr'), messageId: toBruno.messageId, subject: toBruno.subject }, '<CAGmail+bruno@mail.gmail.com>', 'Oui, c’est lu.', 'fr'));
    const acks = await notify('acks', 'tarifs-2026', '--json');
    expect(acks.exitCode, acks.stderr).toBe(0);
    expect(events('ack.received').find((e) => e.recipient === 'bruno@exemple.fr')).toMatchObject({ message_id: o('bruno@exemple.fr').messageId, excerpt: 'Oui, c’est lu.' });
    const gate = await notify('check', 'tarifs-2026', '--acks', '--json');
    expect(gate.exitCode).toBe(1);
    expect(JSON.parse(gate.stdout).acks).toEqual({ acknowledged: ['alice@exemple.fr', 'bruno@exemple.fr'], waiting: ['chloe@exemple.fr', 'felix@exemple.fr', 'emma@exemple.fr'], bounced: ['david@exemple.fr'] });

    // status and report show it per party.
    const status = await notify('status');
    expect(status.stdout).toContain('acks conseillers: 2/5 acknowledged  waiting: chloe@exemple.fr, felix@exemple.fr  bounced: david@exemple.fr  3 reminded  escalated to dg@exemple.fr');
    expect(status.stdout).toContain('acks agences: 0/1 acknowledged  waiting: emma@exemple.fr  1 reminded');
    const json = JSON.parse((await notify('status', 'tarifs-2026', '--json')).stdout);
    expect(json[0].acks.find((p: any) => p.party === 'conseillers')).toMatchObject({ waiting: ['chloe@exemple.fr', 'felix@exemple.fr'], bounced: [{ recipient: 'david@exemple.fr', status: '5.1.1' }], escalated: ['dg@exemple.fr'] });
    const report = await notify('report', 'tarifs-2026');
    expect(report.stdout).toContain('## Acknowledgements');
    expect(report.stdout).toMatch(/\| conseillers \| bruno@exemple\.fr \| acknowledged \| .* \| yes \| reply: "Oui, c’est lu\." \|/);
    expect(report.stdout).toMatch(/\| conseillers \| david@exemple\.fr \| bounced \|.*5\.1\.1/);
    expect(report.stdout).toContain('- **Escalated** about conseillers to dg@exemple.fr');
  });

  it('refuses to send without --yes and without a terminal, and sends nothing', async () => {
    expect((await notify('close', 'tarifs-2026', '--yes')).exitCode).toBe(0);
    ageLog(10);
    const sent = w.smtp.received.length;
    const r = await notify('remind', 'tarifs-2026');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('run with --yes');
    expect(w.smtp.received).toHaveLength(sent);
    expect(events('ack.attempt')).toEqual([]);
  });
});
