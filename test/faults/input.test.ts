/**
 * Bad input and secrets with the real binary: a mistake in an SMTP URL is one line and exit 2,
 * never "unexpected error"; a password written in a URL is never printed, whatever the command
 * and however verbose. A template outside the map's folder is refused at its map line. The
 * built CLI runs every refusal of a bad SMTP URL and every --verbose run (all it prints counts);
 * the masking in other messages and the checks of template paths run in-process (runHere).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { spawnNotify, writeMap } from '../helpers/workspace.js';
import { logFile, mapText, runHere, scratchDir } from './fixture.js';

const SECRET = 'S3cretPW';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

/** The fixture map with `smtp` lines (under smtp:) in a fresh folder. */
function projectWith(smtpLines: string[] = []): string {
  const dir = scratchDir('notify-input-');
  writeMap(dir, mapText(smtpLines));
  return dir;
}

/** The 1-based line of the map that holds `text`. */
function lineOf(dir: string, text: string): number {
  return fs.readFileSync(path.join(dir, 'notify.yaml'), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

type Notify = (args: string[], dir: string, env?: Record<string, string>) => Promise<{ exitCode?: number; stdout: string; stderr: string }>;
/** The built CLI. */
const cli: Notify = (args, dir, env = {}) => spawnNotify(args, { cwd: dir, env });

/** A close that must be refused: exit 2, nothing received, no log, no crash report. */
async function refusedClose(dir: string, env: Record<string, string>, args: string[] = [], notify: Notify = cli) {
  const before = smtp.received.length;
  const r = await notify(['close', 'launch', '--yes', ...args], dir, env);
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/unexpected error|report it/);
  expect(smtp.received.length).toBe(before);
  expect(fs.existsSync(logFile(dir))).toBe(false);
  return r;
}

describe('a "%" in the user info of an SMTP URL', () => {
  it('in the password of NOTIFY_SMTP_URL: exit 2, the fix in one line, the password never shown', async () => {
    const password = `${SECRET}100%`;
    for (const args of [[], ['--verbose']]) {
      const r = await refusedClose(projectWith(), { NOTIFY_SMTP_URL: `smtp://bot:${password}@127.0.0.1:${smtp.port}` }, args);
      expect(r.stderr).toContain('notify: the password in NOTIFY_SMTP_URL must be percent-encoded (write %25 for %)');
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
  });

  it('in the user name of NOTIFY_SMTP_URL, or not valid UTF-8: the same', async () => {
    let r = await refusedClose(projectWith(), { NOTIFY_SMTP_URL: `smtp://bot%:${SECRET}@127.0.0.1:${smtp.port}` });
    expect(r.stderr).toContain('notify: the user name in NOTIFY_SMTP_URL must be percent-encoded (write %25 for %)');
    r = await refusedClose(projectWith(), { NOTIFY_SMTP_URL: `smtp://bot:${SECRET}%C3%28@127.0.0.1:${smtp.port}` });
    expect(r.stderr).toContain('notify: the password in NOTIFY_SMTP_URL is not valid percent-encoded UTF-8');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('in smtp.url in the map: refused at its line by validate and close, the password never shown', async () => {
    const dir = projectWith([`url: "smtp://bot:${SECRET}100%@127.0.0.1:${smtp.port}"`]);
    const at = `notify.yaml:${lineOf(dir, 'url:')}:8: smtp.url "smtp://bot:***@127.0.0.1:${smtp.port}" must not hold credentials`;
    const v = await spawnNotify(['validate'], { cwd: dir });
    expect(v.stdout).toContain(at);
    const r = await refusedClose(dir, {});
    expect(r.stderr).toContain(at);
    for (const text of [v.stdout, v.stderr, r.stdout, r.stderr]) expect(text).not.toContain(SECRET);
  });
});

describe('a password in a URL is masked in every message', () => {
  const BAD_URL = `url: "smtp://bot:${SECRET}@mail.example.com:587/x"`;
  const MASKED = 'smtp://bot:***@mail.example.com:587/x';

  it('validate and validate --json', async () => {
    const dir = projectWith([BAD_URL]);
    // --verbose (which may print more) with the built CLI, the others in-process.
    for (const [args, notify] of [[[], runHere], [['--json'], runHere], [['--verbose'], cli]] as const) {
      const r = await notify(['validate', ...args], dir);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stdout).toContain(MASKED);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
  });

  it('close --dry-run, close --yes and close --yes --verbose', async () => {
    const dir = projectWith([BAD_URL]);
    for (const [args, notify] of [[['--dry-run'], runHere], [[], runHere], [['--verbose'], cli]] as const) {
      const r = await refusedClose(dir, {}, [...args], notify);
      expect(r.stderr).toContain(`notify.yaml:${lineOf(dir, 'url:')}:8: smtp.url "${MASKED}"`);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
  });

  it('a URL quoted by a YAML-level message (an unknown key) is masked too', async () => {
    const dir = scratchDir('notify-input-');
    writeMap(dir, `"smtp://bot:${SECRET}@mail.example.com": 1\n${mapText()}`);
    const r = await runHere(['validate'], dir);
    expect(r.stdout).toContain('notify.yaml:1:1: unknown key "smtp://bot:***@mail.example.com" in the map');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});

describe('a password in a URL is masked in findings made after parsing', () => {
  it('a template path that holds a URL, reported as not found', async () => {
    const dir = scratchDir('notify-input-');
    writeMap(dir, mapText().replace('    always: true\n', `    always: true\n    template: "smtp://bot:${SECRET}@mail.example.com/t.md"\n`));
    const r = await runHere(['validate'], dir);
    expect(r.stdout).toContain('template "smtp://bot:***@mail.example.com/t.md" not found');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});

describe('a template outside the map\'s folder is refused, like a log outside it', () => {
  const OUTSIDE = '---\nsubject: "Private"\n---\nroot:x:0:0 private key material\n';

  /** A project folder `<scratch>/project` whose support party uses `template`; a private file sits beside it. */
  function withTemplate(template: string): string {
    const root = scratchDir('notify-template-');
    const dir = path.join(root, 'project');
    fs.mkdirSync(path.join(dir, 'tpl'), { recursive: true });
    fs.writeFileSync(path.join(root, 'private.md'), OUTSIDE);
    writeMap(dir, mapText().replace('    always: true\n', `    always: true\n    template: "${template}"\n`));
    return dir;
  }

  it.each(['../private.md', 'tpl/../../private.md', '/etc/passwd'])('%s: exit 2 at the map line, nothing sent', async (template) => {
    const dir = withTemplate(template);
    const at = `notify.yaml:${lineOf(dir, 'template:')}:15: party "support" template "${template}" must be a relative path inside the map's directory`;
    const r = await refusedClose(dir, { NOTIFY_SMTP_URL: smtp.url }, [], runHere);
    expect(r.stderr).toContain(at);
    const v = await runHere(['validate'], dir);
    expect(v.stdout).toContain(at);
    expect(r.stdout + r.stderr + v.stdout + v.stderr).not.toContain('private key');
  });

  it('a symbolic link inside the folder that leads out of it: refused too', async () => {
    const dir = withTemplate('tpl/link.md');
    fs.symlinkSync(path.join(dir, '..', 'private.md'), path.join(dir, 'tpl', 'link.md'));
    const r = await refusedClose(dir, { NOTIFY_SMTP_URL: smtp.url }, [], runHere);
    expect(r.stderr).toContain("tpl/link.md:1:1: template outside the map's folder (through a symbolic link)");
    const v = await runHere(['validate'], dir);
    expect(v.stdout).toContain(`notify.yaml:${lineOf(dir, 'template:')}:15: party "support" template "tpl/link.md" leads outside the map's folder`);
    expect(r.stdout + r.stderr + v.stdout + v.stderr).not.toContain('private key');
  });

  it('a template inside the folder, or reached through a link that stays inside, is used', async () => {
    const dir = withTemplate('tpl/link.md');
    fs.writeFileSync(path.join(dir, 'tpl', 'support.md'), '---\nsubject: "Closed"\n---\nHello from the support template\n');
    fs.symlinkSync('support.md', path.join(dir, 'tpl', 'link.md'));
    const v = await runHere(['validate'], dir);
    expect(v.stdout).not.toContain('template');
  });
});
