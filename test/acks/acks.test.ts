/**
 * notify acks against a real mailbox: Dovecot on loopback, replies put in by IMAP APPEND as real
 * clients write them, the notifications sent over the loopback SMTP server.
 */
import { describe, expect, it } from 'vitest';
import { readLogEvents, runNotify } from '../helpers/workspace.js';
import { ackWorkspace, ackWorld, originalFor, REPLIES, removeDir } from './fixture.js';
import { appleMailReply, gmailReply, outlookReply, outOfOffice, postfixBounce, thunderbirdReply } from './mail-samples.js';

const w = ackWorld();

const env = () => ({ NOTIFY_SMTP_URL: w.smtp.url, NOTIFY_IMAP_PASSWORD: w.imap.password, NOTIFY_DECIDED_BY: 'jeanne' });
/** In-process with the real ports (IMAP, SMTP, log, lock): the CLI as it runs, without a process start per call. */
const notify = async (...args: string[]) => {
  const r = await runNotify(args, { cwd: w.dir, env: env() });
  return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
};
const events = (kind: string) => readLogEvents(w.dir).filter((e) => e.event === kind);

async function close(): Promise<void> {
  const r = await notify('close', 'tarifs-2026', '--yes');
  expect(r.exitCode, r.stderr).toBe(0);
}

describe('the messages of a close, for parties that must acknowledge', () => {
  it('end with the request in the recipient language, reach the owner and the replies mailbox, and bounce to the mailbox', async () => {
    await close();
    const alice = w.smtp.received.find((m) => m.to.includes('alice@exemple.fr'))!;
    const emma = w.smtp.received.find((m) => m.to.includes('emma@exemple.fr'))!;
    const dg = w.smtp.received.find((m) => m.to.includes('dg@exemple.fr'))!;
    const text = (raw: string) => Buffer.from(raw.split(/\r\n\r\n/).slice(1).join('\n').replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    expect(text(alice.raw)).toContain('Merci de répondre à ce message (un simple «\u202fOK\u202f» suffit) pour confirmer que vous l’avez lu.');
    expect(text(emma.raw)).toContain('Please reply to this message (any reply, "OK" is enough) to confirm you have read it.');
    // Part of the message, above the sender's name, in the text part and in the HTML part alike.
    const request = text(alice.raw).indexOf('Merci de répondre');
    const signatures = [...text(alice.raw).matchAll(/^— /gm)].map((m) => m.index);
    expect(signatures.length).toBeGreaterThan(0);
    expect(signatures.every((i) => i > request)).toBe(true);
    expect(text(alice.raw)).toMatch(/notify-ack-request[\s\S]*<p[^>]*>— /);
    // The direction need not acknowledge: no request in its message.
    expect(text(dg.raw)).not.toMatch(/confirmer que vous|confirm you have read/);
    // A client's Reply goes to Reply-To: the owner, a person, and the mailbox notify reads.
    expect(/^Reply-To: (.*(?:\r\n[ \t].*)*)/m.exec(alice.raw)?.[1].replace(/\r\n[ \t]/g, ' ')).toMatch(/Jeanne Martin <jeanne@exemple\.fr>, .*<notify-replies@exemple\.fr>/);
    // Bounces go to the envelope sender.
    expect(w.smtp.received.every((m) => m.from === REPLIES)).toBe(true);
    expect(/^From: (.*)$/m.exec(alice.raw)?.[1]).toBe('Projets <projets@exemple.fr>');
  });
});

describe('notify acks', () => {
  it('records replies from real clients as acknowledgements, out-of-office as automatic, a bounce as bounced, once each', async () => {
    await close();
    const o = (a: string) => originalFor(w.smtp.received, a);
    const aliceReply = outlookReply(o('alice@exemple.fr'), '<AM0PR01MB1234.alice@eurprd01.prod.outlook.com>', 'Bien reçu, merci. Je préviens l’équipe.', 'fr');
    await w.imap.append(aliceReply);
    await w.imap.append(appleMailReply(o('bruno@exemple.fr'), '<6F1C2D3E-APPLE@exemple.fr>', 'OK'));
    await w.imap.append(outOfOffice(o('chloe@exemple.fr'), '<ooo.chloe@exemple.fr>', 'fr'));
    await w.imap.append(postfixBounce(o('david@exemple.fr'), '<20250303090501.8A1F2C3D4E@mx.exemple.fr>', REPLIES));
    await w.imap.append(thunderbirdReply(o('felix@exemple.fr'), '<b3c4d5e6-tb@exemple.fr>', 'Lu et compris.'));
    await w.imap.append(outOfOffice(o('emma@exemple.fr'), '<ooo.emma@exemple.fr>', 'en'));
    await w.imap.append(gmailReply(o('emma@exemple.fr'), '<CAGmail+emma=123@mail.gmail.com>', 'Got it, thanks!', 'en'));
    // The same reply delivered twice, and a reply to a message notify never sent.
    await w.imap.append(aliceReply);
    await w.imap.append(gmailReply({ ...o('bruno@exemple.fr'), messageId: '<unrelated.123@exemple.fr>' }, '<CAGmail+unrelated@mail.gmail.com>', 'Et pour la réunion ?', 'fr'));

    const r = await notify('acks', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const acks = events('ack.received');
    expect(acks.map((e) => [e.recipient, e.via, e.excerpt]).sort()).toEqual(
      [
        ['alice@exemple.fr', 'reply', 'Bien reçu, merci. Je préviens l’équipe.'],
        ['bruno@exemple.fr', 'reply', 'OK'],
        ['emma@exemple.fr', 'reply', 'Got it, thanks!'],
        ['felix@exemple.fr', 'reply', 'Lu et compris.'],
      ].sort(),
    );
    const alice = acks.find((e) => e.recipient === 'alice@exemple.fr');
    expect(alice).toMatchObject({ parties: ['conseillers'], message_id: o('alice@exemple.fr').messageId, reply_message_id: '<AM0PR01MB1234.alice@eurprd01.prod.outlook.com>' });
    expect(events('reply.auto').map((e) => e.recipient).sort()).toEqual(['chloe@exemple.fr', 'emma@exemple.fr']);
    expect(events('reply.auto').find((e) => e.recipient === 'chloe@exemple.fr').reason).toBe('Auto-Submitted: auto-replied');
    expect(events('notification.bounced')).toEqual([expect.objectContaining({ recipient: 'david@exemple.fr', status: '5.1.1', diagnostic: expect.stringContaining('550 5.1.1') })]);
    const out = JSON.parse(r.stdout);
    expect(out.duplicates).toBe(1);
    expect(out.unmatched).toBe(1);
    expect(out.projects[0].acks).toEqual({
      acknowledged: expect.arrayContaining(['alice@exemple.fr', 'bruno@exemple.fr', 'emma@exemple.fr', 'felix@exemple.fr']),
      waiting: ['chloe@exemple.fr'],
      bounced: ['david@exemple.fr'],
    });

    // Matched messages moved, the unrelated one left where it was; nothing deleted.
    expect(await w.imap.list('INBOX')).toEqual(['<CAGmail+unrelated@mail.gmail.com>']);
    expect(await w.imap.list('notify/processed')).toHaveLength(8);

    const gate = await notify('check', 'tarifs-2026', '--acks', '--json');
    expect(gate.exitCode).toBe(1);
    expect(JSON.parse(gate.stdout).acks).toEqual(out.projects[0].acks);
    // Without --acks, the bounce alone keeps the project open: david was not told.
    const plain = await notify('check', 'tarifs-2026', '--json');
    expect(plain.exitCode).toBe(1);
    expect(JSON.parse(plain.stdout)).toMatchObject({ closed: false, failed: ['conseillers'] });
    const verify = await notify('log', '--verify');
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });

  it('reads again without recording twice, and leaves mail in place without a processed folder', async () => {
    removeDir(w.dir);
    w.dir = ackWorkspace(w.imap.url, { processed: false });
    await close();
    const o = (a: string) => originalFor(w.smtp.received, a);
    await w.imap.append(outlookReply(o('alice@exemple.fr'), '<reply.alice.1@exemple.fr>', 'Noted, thanks.', 'en'));
    expect((await notify('acks')).exitCode).toBe(0);
    const second = await notify('acks');
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain('0 new, 1 already recorded');
    expect(events('ack.received')).toHaveLength(1);
    expect(events('ack.received')[0].excerpt).toBe('Noted, thanks.');
    expect(await w.imap.list('INBOX')).toEqual(['<reply.alice.1@exemple.fr>']);
  });

  it('after a bounce, close sends the message again with the same Message-ID; notify ack records a manual acknowledgement', async () => {
    await close();
    const o = (a: string) => originalFor(w.smtp.received, a);
    const first = o('david@exemple.fr').messageId;
    await w.imap.append(postfixBounce(o('david@exemple.fr'), '<bounce.david@mx.exemple.fr>', REPLIES));
    expect((await notify('acks')).exitCode).toBe(0);
    expect((await notify('check', 'tarifs-2026')).exitCode).toBe(1);

    const again = await notify('close', 'tarifs-2026', '--yes');
    expect(again.exitCode, again.stderr).toBe(0);
    const toDavid = w.smtp.received.filter((m) => m.to.includes('david@exemple.fr'));
    expect(toDavid.map((m) => m.messageId)).toEqual([first, first]);
    // Only david's message went again.
    expect(w.smtp.received).toHaveLength(8);
    expect((await notify('check', 'tarifs-2026')).exitCode).toBe(0);

    const manual = await notify('ack', 'tarifs-2026', 'conseillers', '--note', 'lu en réunion du lundi');
    expect(manual.exitCode, manual.stderr).toBe(0);
    expect(events('ack.received').filter((e) => e.via === 'manual').map((e) => e.recipient).sort()).toEqual(['alice@exemple.fr', 'bruno@exemple.fr', 'chloe@exemple.fr', 'david@exemple.fr', 'felix@exemple.fr']);
    expect(events('ack.received')[0]).toMatchObject({ by: 'jeanne', note: 'lu en réunion du lundi' });
    const gate = await notify('check', 'tarifs-2026', '--acks', '--json');
    expect(gate.exitCode).toBe(1);
    expect(JSON.parse(gate.stdout).acks.waiting).toEqual(['emma@exemple.fr']);
    expect((await notify('ack', 'tarifs-2026', 'emma@exemple.fr', '--note', 'par téléphone')).exitCode).toBe(0);
    expect((await notify('check', 'tarifs-2026', '--acks')).exitCode).toBe(0);
  });

  it('a wrong IMAP password: exit 2 naming the settings to check, the password never printed, nothing recorded', async () => {
    await close();
    const r = await runNotify(['acks'], { cwd: w.dir, env: { ...env(), NOTIFY_IMAP_PASSWORD: 'wrong-secret-42' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('IMAP authentication failed at 127.0.0.1:');
    expect(r.stderr).toContain('check replies.imap.user and its password setting');
    expect(r.stderr + r.stdout).not.toContain('wrong-secret-42');
    expect(readLogEvents(w.dir).filter((e) => !e.event.startsWith('notification.') && !e.event.startsWith('close.') && !e.event.startsWith('project.'))).toEqual([]);
  });

  it('refuses a recipient or party that does not have to acknowledge, naming the close ones', async () => {
    await close();
    const r = await notify('ack', 'tarifs-2026', 'conseiller', '--note', 'x');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('did you mean "conseillers"');
    expect(events('ack.received')).toHaveLength(0);
  });
});
