import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { SMALL_MAP } from '../fixtures/maps.js';
import { BIN, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

async function complete(words: string[], cwd: string): Promise<string[]> {
  const r = await runNotify(['__complete', '--', ...words], { cwd });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

/** Folders shared by the tests of a describe block: all removed when the file is done. */
const tempDir = scratchDirs('all');

describe('notify __complete: what the shell scripts ask', () => {
  const dir = tempDir();
  writeMap(dir, SMALL_MAP);

  it('completes command names, without the hidden one', async () => {
    const all = await complete([''], dir);
    expect(all).toEqual(expect.arrayContaining(['stakeholders', 'close', 'check', 'status', 'log', 'init', 'validate', 'schema', 'completion']));
    expect(all).not.toContain('__complete');
    expect(await complete(['st'], dir)).toEqual(['stakeholders', 'status']);
  });

  it('completes project ids where a command takes a project, and party and action ids after their flags', async () => {
    expect(await complete(['close', ''], dir)).toEqual(['ecard', 'promo']);
    expect(await complete(['check', 'p'], dir)).toEqual(['promo']);
    expect(await complete(['close', 'ecard', '--party', ''], dir)).toEqual(['support', 'sales', 'legal', 'boss']);
    expect(await complete(['close', 'ecard', '-P', 's'], dir)).toEqual(['support', 'sales']);
    expect(await complete(['close', 'ecard', '--skip', 'le'], dir)).toEqual(['legal=']);
    expect(await complete(['stakeholders', '--action', ''], dir)).toEqual(['customer-email', 'pricing']);
    expect(await complete(['stakeholders', '--project', 'e'], dir)).toEqual(['ecard']);
    expect(await complete(['close', 'ecard', '--transport', ''], dir)).toEqual(['smtp', 'sendmail', 'file']);
    expect(await complete(['completion', ''], dir)).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes the flags of the command being typed, and the global ones', async () => {
    const flags = await complete(['close', 'ecard', '--'], dir);
    expect(flags).toEqual(expect.arrayContaining(['--action', '--party', '--skip', '--summary', '--dry-run', '--yes', '--config', '--no-color', '--quiet', '--help']));
    expect(flags).not.toContain('--json');
    expect(await complete(['stakeholders', '--j'], dir)).toEqual(['--json']);
  });

  it('reads ids from the map named by --config, and offers nothing (files, in the shell) without a map', async () => {
    const other = tempDir();
    writeMap(other, 'version: 1\nfrom: "p@acme.test"\nparties:\n  ops:\n    contacts: ["ops@acme.test"]\nprojects:\n  migration:\n', 'ops.yaml');
    expect(await complete(['--config', `${other}/ops.yaml`, 'close', ''], dir)).toEqual(['migration']);
    expect(await complete(['close', ''], tempDir())).toEqual([]);
    expect(await complete(['close', 'ecard', '--details-file', ''], dir)).toEqual([]);
  });
});

describe('notify completion', () => {
  it('prints a script for bash, zsh and fish, and refuses other shells with exit 2', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runNotify(['completion', shell], { cwd: tempDir() });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('notify __complete --');
    }
    const r = await runNotify(['completion', 'tcsh'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bash, zsh, fish');
  });

  it('completes in a real bash, through the built binary', async () => {
    const dir = tempDir();
    writeMap(dir, SMALL_MAP);
    const script = (await runNotify(['completion', 'bash'], { cwd: dir })).stdout;
    const run = (line: string) =>
      execa('bash', ['--norc', '--noprofile', '-c', `${script}\nnotify() { "${process.execPath}" "${BIN}" "$@"; }\n${line}\n_notify_complete\nprintf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, env: { CI: 'true' }, reject: false });
    const projects = await run('COMP_WORDS=(notify close ""); COMP_CWORD=2');
    expect(projects.exitCode, projects.stderr).toBe(0);
    expect(projects.stdout.split('\n')).toEqual(['ecard', 'promo']);
    const parties = await run('COMP_WORDS=(notify close ecard --party s); COMP_CWORD=4');
    expect(parties.stdout.split('\n')).toEqual(['support', 'sales']);
  });
});
