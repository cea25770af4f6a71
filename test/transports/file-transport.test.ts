import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createFileTransport, writeFileAtomic } from '../../src/adapters/mail/file-transport.js';
import { readLogEvents, runNotify, tempDir, writeMap } from '../helpers/workspace.js';
import { RECIPIENTS, transportMap } from './maps.js';

const listAll = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d) : []);

describe('file transport', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one complete .eml per recipient into the outbox and records where', async () => {
    writeMap(dir, transportMap('transport: { kind: file, dir: mail/outbox }\n'));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const outbox = path.join(dir, 'mail', 'outbox');
    const files = listAll(outbox);
    expect(files).toHaveLength(3);
    expect(files.every((f) => /^notify\.launch\.[0-9a-f]+@acme\.test\.eml$/.test(f))).toBe(true);
    const sent = readLogEvents(dir).filter((e) => e.event === 'notification.sent');
    expect(sent.map((e) => e.recipient).sort()).toEqual([...RECIPIENTS].sort());
    for (const e of sent) {
      expect(e.via).toBe('file');
      const file = path.join(outbox, `${e.message_id.slice(1, -1)}.eml`);
      expect(e.response).toBe(`written to ${path.join('mail', 'outbox', path.basename(file))}`);
      const raw = fs.readFileSync(file, 'utf8');
      expect(raw).toContain(`Message-ID: ${e.message_id}\r\n`);
      expect(raw).toMatch(/\r\n\r\n/);
    }
  });

  it('--transport file uses .notify/outbox by default, named relative to the map from any folder', async () => {
    writeMap(dir, transportMap());
    const sub = path.join(dir, 'src', 'deep');
    fs.mkdirSync(sub, { recursive: true });
    const r = await runNotify(['close', 'launch', '--yes', '--transport', 'file'], { cwd: sub });
    expect(r.code, r.stderr).toBe(0);
    expect(listAll(path.join(dir, '.notify', 'outbox'))).toHaveLength(3);
    for (const e of readLogEvents(dir).filter((x) => x.event === 'notification.sent')) {
      expect(e.response).toBe(`written to ${path.join('.notify', 'outbox', `${e.message_id.slice(1, -1)}.eml`)}`);
    }
  });

  it('an outbox that cannot be created stops the close before anything is recorded or written', async () => {
    fs.writeFileSync(path.join(dir, 'blocked'), 'a file where the outbox folder should be');
    writeMap(dir, transportMap('transport: { kind: file, dir: blocked/outbox }\n'));
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the outbox blocked/outbox cannot be written');
    expect(readLogEvents(dir)).toEqual([]);
  });

  it('a write that fails leaves no partial file, and that recipient is not counted as sent', async () => {
    writeMap(dir, transportMap('transport: { kind: file, dir: outbox }\n'));
    const outbox = path.join(dir, 'outbox');
    // Plan once (dry run prints the Message-IDs), then block the boss's file name with a folder so its rename fails.
    const dry = await runNotify(['close', 'launch', '--dry-run'], { cwd: dir });
    const bossId = /To: boss@acme\.test\s+\[boss\] <([^>]+)>/.exec(dry.stdout)?.[1];
    expect(bossId, dry.stdout).toBeDefined();
    fs.mkdirSync(path.join(outbox, `${bossId}.eml`), { recursive: true });
    const r = await runNotify(['close', 'launch', '--yes'], { cwd: dir });
    expect(r.code).toBe(1);
    const events = readLogEvents(dir);
    expect(events.filter((e) => e.event === 'notification.sent').map((e) => e.recipient).sort()).toEqual(['marie@acme.test', 'support@acme.test']);
    const failed = events.filter((e) => e.event === 'notification.failed');
    expect(failed.every((e) => e.recipient === 'boss@acme.test')).toBe(true);
    expect(failed[0].text).toMatch(/cannot write .*\.eml in outbox/);
    expect(events.some((e) => e.event === 'project.closed')).toBe(false);
    // Two complete messages, the blocking folder, and no temporary file.
    const names = listAll(outbox);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names).toHaveLength(3);
    expect(fs.readdirSync(path.join(outbox, `${bossId}.eml`))).toEqual([]);
  });

  it('a send into an outbox that has become a file fails without leaving any file', async () => {
    const outbox = path.join(dir, 'outbox');
    fs.mkdirSync(outbox);
    const t = createFileTransport(outbox, 'outbox');
    await t.verify();
    fs.rmSync(outbox, { recursive: true });
    fs.writeFileSync(outbox, ''); // now a file: nothing can be written under it, not even by root
    const o = await t.send({ from: 'a@acme.test', to: 'b@acme.test', raw: Buffer.from('Message-ID: <x@acme.test>\r\n\r\nhello\r\n') });
    expect(o).toMatchObject({ status: 'failed', permanent: true });
    expect(fs.readdirSync(dir)).toEqual(['outbox']);
  });

  it('writeFileAtomic replaces a file whole, and never leaves its temporary file', async () => {
    const file = path.join(dir, 'a.eml');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, 'second version');
    expect(fs.readFileSync(file, 'utf8')).toBe('second version');
    expect(fs.readdirSync(dir)).toEqual(['a.eml']);
  });
});
