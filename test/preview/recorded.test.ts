/**
 * preview of a recorded close shows what was sent: the recorded recipients and Message-IDs, the
 * bytes rebuilt from the recorded decisions and date, the subject that went out; and it lists
 * the messages today's map would change. A real close against a loopback SMTP server first.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceForEach } from '../fixtures/close-workspace.js';
import { SMALL_MAP } from '../fixtures/maps.js';
import { readLogEvents, runNotify, spawnNotify } from '../helpers/workspace.js';

const ECARD = ['marie@acme.test', 'support@acme.test', 'legal@acme.test', 'boss@acme.test'];
const sha256 = (raw: string) => createHash('sha256').update(Buffer.from(raw, 'utf8')).digest('hex');

describe('preview of a recorded close', () => {
  const ws = workspaceForEach(SMALL_MAP);
  const mapFile = () => path.join(ws.dir, 'notify.yaml');
  const editMap = (from: string, to: string) => {
    const text = fs.readFileSync(mapFile(), 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(mapFile(), text.replace(from, to));
  };
  const received = (to: string) => ws.smtp.received.find((m) => m.to[0] === to)!;
  const preview = async (...args: string[]) => {
    const r = await runNotify(['preview', 'ecard', ...args], { cwd: ws.dir });
    expect(r.code, r.stderr).toBe(0);
    return r;
  };

  async function closeEcard(): Promise<void> {
    const r = await ws.run(['close', 'ecard', '--summary', 'The e-card went out', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(ws.smtp.received.map((m) => m.to[0]).sort()).toEqual([...ECARD].sort());
  }

  it('the log keeps, for each send, the subject and the SHA-256 of the bytes the server received', async () => {
    await closeEcard();
    for (const e of readLogEvents(ws.dir).filter((x) => x.event === 'notification.sent')) {
      const m = received(e.recipient);
      expect(e.subject).toBe(m.subject);
      expect(e.sha256).toBe(sha256(m.raw));
      expect(e.message_id).toBe(m.messageId);
    }
  });

  it("a party's language changed since: the subject shown is the one received, the unchanged messages are the server's bytes, the changed one is listed", async () => {
    editMap('    parties: [legal]\n', '    parties: [legal]\n    effective: 2027-01-04\n');
    await closeEcard();
    const logBefore = fs.readFileSync(path.join(ws.dir, '.notify', 'log.jsonl'));
    editMap('name: Legal\n', 'name: Legal\n    locale: fr\n');

    const json = JSON.parse((await preview('--json')).stdout);
    expect(json).toMatchObject({ decided: true, closed: true, differs: ['legal@acme.test'], no_longer_in_map: [] });
    for (const row of json.messages) {
      const m = received(row.to);
      expect(row.message_id).toBe(m.messageId);
      expect(row.sent_subject).toBe(m.subject);
      expect(row.as_sent).toBe(row.to !== 'legal@acme.test');
    }
    const legal = json.messages.find((r: any) => r.to === 'legal@acme.test');
    expect(legal.subject).toMatch(/^\[Acme\] Dès le 4 janvier\u202f: the e-card went out$/);
    expect(legal.sent_subject).toBe('[Acme] From 4 Jan: The e-card went out');
    expect(legal.status).toMatch(/^sent \S+, today's map changes it/);

    // The files: byte for byte what the server received, except the message today's map changes.
    await preview('--out', 'out');
    for (const to of ECARD) {
      const eml = fs.readFileSync(path.join(ws.dir, 'out', `${to}.eml`));
      expect(eml.equals(Buffer.from(received(to).raw, 'utf8')), to).toBe(to !== 'legal@acme.test');
    }

    const human = (await preview()).stdout;
    expect(human).toContain(`Subject: ${received('legal@acme.test').subject}\nSubject under today's map: ${legal.subject}\n`);
    for (const to of ['marie@acme.test', 'boss@acme.test']) expect(human).toContain(`Subject: ${received(to).subject}\nDate:`);
    expect(human).toContain("Under today's map 1 of 4 messages would differ from what was sent (a template, a party or a contact changed since):\n");
    expect(human).toContain(`  legal@acme.test  sent as "${received('legal@acme.test').subject}", now "${legal.subject}"\n`);

    // Nothing was sent or recorded by the previews.
    expect(ws.smtp.received).toHaveLength(4);
    expect(fs.readFileSync(path.join(ws.dir, '.notify', 'log.jsonl')).equals(logBefore)).toBe(true);
  });

  it("a template's subject changed since: every message listed, each shown with the subject it was sent with (the built binary)", async () => {
    fs.mkdirSync(path.join(ws.dir, 'templates'));
    const template = path.join(ws.dir, 'templates', 'ecard.md');
    fs.writeFileSync(template, '---\nsubject: "Our e-card is out ({{party_names}})"\n---\n{{summary}}\n');
    editMap('    parties: [legal]\n', '    parties: [legal]\n    template: templates/ecard.md\n');
    await closeEcard();
    expect(ws.smtp.received.every((m) => m.subject.startsWith('Our e-card is out'))).toBe(true);
    fs.writeFileSync(template, '---\nsubject: "The e-card, again ({{party_names}})"\n---\n{{summary}}\n');

    const r = await spawnNotify(['preview', 'ecard'], { cwd: ws.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const m of ws.smtp.received) {
      expect(r.stdout).toContain(`Subject: ${m.subject}\nSubject under today's map: ${m.subject.replace('Our e-card is out', 'The e-card, again')}\n`);
      expect(r.stdout).toContain(`Message-ID: ${m.messageId}\n`);
      expect(r.stdout).toMatch(new RegExp(`^ {2}${m.to[0].replace(/\./g, '\\.')} {2}sent as "Our e-card is out`, 'm'));
    }
    expect(r.stdout).toContain("Under today's map 4 of 4 messages would differ from what was sent");
    expect(ws.smtp.received).toHaveLength(4);
  });

  it('a contact removed since is listed as sent and no longer in the map; one added since as never told', async () => {
    await closeEcard();
    editMap('contacts: ["Marie <marie@acme.test>", "support@acme.test"]', 'contacts: ["Marie <marie@acme.test>", "helpdesk@acme.test"]');
    const json = JSON.parse((await preview('--json')).stdout);
    const support = received('support@acme.test');
    expect(json.no_longer_in_map).toEqual([{ to: 'support@acme.test', message_id: support.messageId, subject: support.subject, sent_at: expect.any(String) }]);
    expect(json.differs).toEqual(['helpdesk@acme.test']);
    expect(json.messages.find((r: any) => r.to === 'helpdesk@acme.test')).toMatchObject({ as_sent: false, sent_subject: null, status: 'never told: added to the map since the close' });
    const human = (await preview()).stdout;
    expect(human).toContain('  helpdesk@acme.test  never told: added to the map since the close\n');
    expect(human).toContain(`Sent, and no longer in the map (not rebuilt):\n  support@acme.test  ${support.messageId}  "${support.subject}"  sent `);
  });

  it('an unchanged map: every message is the one sent; a log without fingerprints says it cannot compare', async () => {
    await closeEcard();
    expect((await preview()).stdout).toContain("Under today's map every message is byte for byte the one sent.\n");
    // A log written before sends carried their fingerprint.
    const log = path.join(ws.dir, '.notify', 'log.jsonl');
    const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    fs.writeFileSync(log, lines.map(({ subject: _s, sha256: _h, ...e }) => JSON.stringify(e)).join('\n') + '\n');
    const json = JSON.parse((await preview('--json')).stdout);
    expect(json.messages.every((r: any) => r.as_sent === null && r.sent_subject === null)).toBe(true);
    expect(json.differs).toEqual([]);
    expect((await preview()).stdout).toContain('4 messages have no fingerprint in the log (marked as sent by hand, or sent by an older notify) and cannot be compared.\n');
  });
});
