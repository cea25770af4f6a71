/**
 * The README's Getting started block runs as written, with no terminal: each `notify` line with
 * the built binary in a fresh folder, `export` lines into the environment of the lines after them.
 * The one line that names an SMTP server has its URL replaced by a loopback server's, so the
 * close really sends, and the test counts what arrived.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { ROOT, readLogEvents, spawnNotify, tempDir } from '../helpers/workspace.js';
import { counts } from '../fixtures/close-workspace.js';

/** The lines of the first sh block under "## Getting started", without their comments. */
function gettingStarted(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Getting started\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 1)))![1];
  return block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

/** Words of a shell line; quotes group, nothing is expanded (the block needs no expansion). */
function words(line: string): string[] {
  expect(line, 'no expansion in the block').not.toMatch(/[$`*?\\]/);
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe("the README's Getting started", () => {
  let smtp: TestSmtp;
  let dir: string;
  beforeEach(async () => {
    smtp = await startSmtp();
    dir = tempDir('notify-getting-started-');
  });
  afterEach(async () => {
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs as written without a terminal: every line exits 0, the dry run sends nothing, the close tells each party once, check passes', async () => {
    const lines = gettingStarted();
    expect(lines.map((l) => words(l).slice(0, 2).join(' '))).toEqual(expect.arrayContaining(['notify init', 'notify preview', 'notify close', 'notify check', 'notify report']));
    // No map, no server from the machine running the test: only what the block sets.
    const env: Record<string, string | undefined> = { NOTIFY_SMTP_URL: undefined, NOTIFY_CONFIG: undefined };
    for (const line of lines) {
      const [cmd, ...rest] = words(line);
      if (cmd === 'export') {
        const [name, value] = rest.join(' ').split(/=(.*)/s);
        expect(name).toBe('NOTIFY_SMTP_URL');
        expect(value).toMatch(/^smtps?:\/\//);
        env[name] = smtp.url;
        continue;
      }
      expect(cmd, `a line the test does not know how to run: ${line}`).toBe('notify');
      const redirect = rest.indexOf('>');
      const args = redirect === -1 ? rest : rest.slice(0, redirect);
      const r = await spawnNotify(args, { cwd: dir, env });
      expect(r.exitCode, `${line}\n${r.stderr}`).toBe(0);
      if (redirect !== -1) fs.writeFileSync(path.join(dir, rest[redirect + 1]), r.stdout);
      if (args.includes('--dry-run') || args[0] === 'preview') {
        expect(smtp.received, line).toHaveLength(0);
        expect(fs.existsSync(path.join(dir, '.notify', 'log.jsonl')), line).toBe(false);
      }
      if (args[0] === 'preview') expect(r.stdout).toContain('Subject: [Your organisation] Our first project is finished\n');
    }
    expect(counts(smtp)).toEqual({ 'advisers@example.com': 1, 'management@example.com': 1 });
    expect(readLogEvents(dir).at(-1).event).toBe('project.closed');
    const report = fs.readFileSync(path.join(dir, 'close-out.md'), 'utf8');
    expect(report).toContain('Our first project');
    expect(report).toContain('advisers@example.com');
  });

  it('reads the block it runs: a line it cannot run fails the test', () => {
    expect(() => words('notify close "$PROJECT"')).toThrow();
    expect(words('notify close first-project --summary "New prices" > out.md')).toEqual(['notify', 'close', 'first-project', '--summary', 'New prices', '>', 'out.md']);
  });
});
