/**
 * Guarantee 10: bad input is rejected before anything is sent, with one clear line naming the
 * file and line, exit 2. Every case runs a real close against a live server and checks that
 * the server received nothing and that no log was written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNotify } from '../helpers/workspace.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { logFile, mapText, scratchDir } from './fixture.js';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

const BASE = mapText(['retry_delays_seconds: [0]']);

/** Run `close` in a folder holding `files`; expect exit 2, nothing received, no log. */
async function rejected(files: Record<string, string | Buffer>, args: string[] = ['close', 'launch', '--yes']) {
  const dir = scratchDir('notify-bad-');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  const before = smtp.received.length;
  const r = await runNotify(args, { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
  expect(r.code, r.stderr).toBe(2);
  expect(smtp.received.length).toBe(before);
  expect(fs.existsSync(logFile(dir))).toBe(false);
  expect(r.stdout).toBe('');
  return r.stderr;
}

/** The map with `old` replaced by `next` (which must be present once). */
function mapWith(old: string, next: string): string {
  expect(BASE.split(old)).toHaveLength(2);
  return BASE.replace(old, next);
}

describe('the map file itself', () => {
  it('a YAML alias bomb', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
    const err = await rejected({ 'notify.yaml': `${BASE}${bomb}\n` });
    expect(err).toMatch(/notify\.yaml:\d+:\d+: .*alias/i);
  });

  it('very deep nesting', async () => {
    const err = await rejected({ 'notify.yaml': `${BASE}deep: ${'['.repeat(500)}${']'.repeat(500)}\n` });
    expect(err).toMatch(/notify\.yaml:\d+:\d+: .*(nesting|deep)/i);
  });

  it('a file over 5 MB', async () => {
    const err = await rejected({ 'notify.yaml': `${BASE}# ${'x'.repeat(5 * 1024 * 1024)}\n` });
    expect(err).toContain('notify.yaml:1:1: file is larger than 5 MB');
  });

  it('duplicate keys', async () => {
    const err = await rejected({ 'notify.yaml': mapWith('  support:\n', '  sales:\n    contacts: ["dup@example.com"]\n  support:\n') });
    expect(err).toMatch(/notify\.yaml:\d+:\d+: .*(unique|duplicate)/i);
  });

  it('custom tags', async () => {
    const err = await rejected({ 'notify.yaml': mapWith('    title: Launch', '    title: !shell "rm -rf /"') });
    expect(err).toMatch(/notify\.yaml:13:\d+: .*tag/i);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a party id %s', async (id) => {
    const err = await rejected({ 'notify.yaml': mapWith('  support:\n', `  ${id}:\n    contacts: ["x@example.com"]\n  support:\n`) });
    expect(err).toMatch(/notify\.yaml:\d+:\d+: party id/);
  });

  it('a log path that escapes the project directory', async () => {
    for (const log of ['../outside.jsonl', '/tmp/notify-outside.jsonl', '.notify/../../outside.jsonl']) {
      const err = await rejected({ 'notify.yaml': `log: "${log}"\n${BASE}` });
      expect(err).toMatch(/notify\.yaml:1:\d+: log ".*" must be a relative path inside the map's directory/);
    }
  });
});

describe('addresses that are not exactly one plain address', () => {
  it.each([
    ['a header injection', String.raw`"a@x.com\r\nBcc: y@z.com"`],
    ['two addresses', '"A <a@x.com>, b@y.com"'],
    ['a comment', '"a@x.com (the boss)"'],
    ['an address as display name', String.raw`"\"b@evil.com\" <a@x.com>"`],
    ['two angle addresses', '"A <a@x.com> <b@evil.com>"'],
    ['a group', '"friends: a@x.com, b@y.com;"'],
    ['no domain dot', '"a@localhost"'],
  ])('%s', async (_what, contact) => {
    const err = await rejected({ 'notify.yaml': mapWith('contacts: ["cat@example.com"]', `contacts: [${contact}]`) });
    expect(err).toMatch(/notify\.yaml:9:\d+: party "support" contact/);
  });

  it('a From: with a line break', async () => {
    const err = await rejected({ 'notify.yaml': mapWith('from: "Projects <projects@example.com>"', String.raw`from: "Projects <projects@example.com>\nBcc: all@example.com"`) });
    expect(err).toMatch(/notify\.yaml:2:\d+: from/);
  });
});

describe('header values and templates', () => {
  it('a title with CR/LF in the map', async () => {
    const err = await rejected({ 'notify.yaml': mapWith('    title: Launch', String.raw`    title: "Launch\r\nBcc: all@example.com"`) });
    expect(err).toMatch(/notify\.yaml:13:\d+: .*(line break|header|CR)/i);
  });

  it('a summary with a line break on the command line', async () => {
    const err = await rejected({ 'notify.yaml': BASE }, ['close', 'launch', '--yes', '--summary', 'Done\r\nBcc: all@example.com']);
    expect(err).toContain('--summary contains a line break');
  });

  it('a template that uses an unknown variable', async () => {
    const err = await rejected({
      'notify.yaml': mapWith('    contacts: ["cat@example.com"]', '    contacts: ["cat@example.com"]\n    template: tpl/support.md'),
      'tpl/support.md': '---\nsubject: "Closed: {{project}}"\n---\nHello {{recipeint}}\n',
    });
    expect(err).toMatch(/tpl\/support\.md:4:\d+: template uses unknown variable "recipeint"/);
  });

  it('a template: that is not a string', async () => {
    const err = await rejected({ 'notify.yaml': mapWith('    contacts: ["cat@example.com"]', '    contacts: ["cat@example.com"]\n    template: [a.md, b.md]') });
    expect(err).toMatch(/notify\.yaml:10:\d+: .*template/);
  });
});

describe('project ids on the command line', () => {
  it.each(['../outside', '__proto__', 'constructor', 'a/b', '.hidden', 'x'.repeat(200)])('%s', async (id) => {
    const err = await rejected({ 'notify.yaml': BASE }, ['close', id, '--yes', '--summary', 'x', '--party', 'sales']);
    expect(err).toContain('project id');
  });
});
