import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, spawnNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('the notify binary', () => {
  it('--help lists the commands, examples and exit codes', async () => {
    const r = await spawnNotify(['--help'], { cwd: tempDir() });
    expect(r.exitCode).toBe(0);
    for (const cmd of ['stakeholders', 'close', 'check', 'status', 'log']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    expect(r.stdout).toMatch(/Examples:\n  \$ notify /);
    expect(r.stdout).toContain('Exit codes:');
    for (const code of ['0', '1', '2', '130']) expect(r.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
  });

  it.each(['stakeholders', 'close', 'check', 'status', 'log'])('%s --help ends with examples', async (cmd) => {
    const r = await spawnNotify([cmd, '--help'], { cwd: tempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Examples:\\n  \\$ notify ${cmd}`));
  });

  it('--version prints the package version', async () => {
    const r = await spawnNotify(['--version'], { cwd: tempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('a config error exits 2 with file:line:col on stderr, and no stack trace', async () => {
    const dir = tempDir();
    writeMap(dir, 'version: 1\nfrom: a@x.com\nparties:\n  s:\n    contacts: ["A <a@x.com>, b@y.com"]\n    afected_by: [x]\n');
    const r = await spawnNotify(['stakeholders'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('notify.yaml:5:16: party "s" contact "A <a@x.com>, b@y.com" holds more than one address; list each contact separately');
    expect(r.stderr).toContain('notify.yaml:6:5: unknown key "afected_by" in party "s" (did you mean "affected_by"?)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/Error:/);
  });

  it('no map anywhere exits 2 with how to make one', async () => {
    const r = await spawnNotify(['status'], { cwd: tempDir() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no notify\.yaml found/);
    expect(r.stderr).toMatch(/--config FILE or NOTIFY_CONFIG/);
  });

  it('an unknown flag or command exits 2 and says so on stderr', async () => {
    const flag = await spawnNotify(['status', '--bogus'], { cwd: tempDir() });
    expect(flag.exitCode).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toMatch(/unknown option '--bogus'/);
    const cmd = await spawnNotify(['clsoe'], { cwd: tempDir() });
    expect(cmd.exitCode).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command 'clsoe'/);
  });

  it('close without a terminal and without --yes exits 2 naming the flag, never waiting for input', async () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(ROOT, 'examples/retail/notify.yaml'), path.join(dir, 'notify.yaml'));
    const r = await spawnNotify(['close', 'summer-sale'], { cwd: dir, env: { NOTIFY_SMTP_URL: 'smtp://127.0.0.1:9' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect(fs.existsSync(path.join(dir, '.notify', 'log.jsonl'))).toBe(false);
  });
});
