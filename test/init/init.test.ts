import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseMap } from '../../src/config/parse-map.js';
import { runNotify, scriptedPrompter, type ScriptedAnswer } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

function mustValidate(dir: string, file = 'notify.yaml') {
  const { map, diagnostics } = parseMap(read(dir, file), path.join(dir, file), file);
  expect(diagnostics).toEqual([]);
  return map!;
}

describe('notify init --yes: a commented starter map', () => {
  it('writes a map notify accepts, with the schema line first, sets the log to merge by union, and says what to run next', async () => {
    const dir = tempDir();
    const r = await runNotify(['init', '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const text = read(dir, 'notify.yaml');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=https:\/\/unpkg\.com\/notify-close@\d+\.\d+\.\d+\/schema\/notify\.schema\.json$/);
    expect(text).toContain('# smtp:');
    const map = mustValidate(dir);
    expect([...map.parties.keys()]).toEqual(['customer-service', 'sales', 'management']);
    expect(map.parties.get('management')!.always).toBe(true);
    expect(read(dir, '.gitattributes')).toBe('.notify/log.jsonl merge=union\n');
    expect(r.stderr).toContain('created notify.yaml');
    expect(r.stderr).toMatch(/notify validate/);
    expect(r.stderr).toMatch(/notify stakeholders/);
    expect(r.stderr).toMatch(/notify close first-project .*--dry-run/);
    const v = await runNotify(['validate', '--json'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, errors: 0, warnings: 0, findings: [] });
  });

  it('never overwrites a map without --force (exit 2, file untouched), and replaces it with --force', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notify.yaml'), 'mine\n');
    const r = await runNotify(['init', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notify\.yaml already exists.*\n.*--force/);
    expect(read(dir, 'notify.yaml')).toBe('mine\n');
    expect(fs.existsSync(path.join(dir, '.gitattributes'))).toBe(false);
    const f = await runNotify(['init', '--yes', '--force'], { cwd: dir });
    expect(f.code).toBe(0);
    mustValidate(dir);
  });

  it('adds the union-merge line once, keeping what .gitattributes had', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.gitattributes'), '*.png binary');
    expect((await runNotify(['init', '--yes'], { cwd: dir })).code).toBe(0);
    expect((await runNotify(['init', '--yes', '--force'], { cwd: dir })).code).toBe(0);
    expect(read(dir, '.gitattributes')).toBe('*.png binary\n.notify/log.jsonl merge=union\n');
  });

  it('writes where --config says, and points $schema at a copy installed beside the map', async () => {
    const dir = tempDir();
    const installed = path.join(dir, 'ops', 'node_modules', 'notify-close', 'schema');
    fs.mkdirSync(installed, { recursive: true });
    fs.writeFileSync(path.join(installed, 'notify.schema.json'), '{}');
    const r = await runNotify(['--config', 'ops/notify.yaml', 'init', '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'ops/notify.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/notify-close/schema/notify.schema.json');
    const own = await runNotify(['--config', 'ops/notify.yaml', 'init', '--yes', '--force', '--schema', '../schema/notify.schema.json'], { cwd: dir });
    expect(own.code).toBe(0);
    expect(read(dir, 'ops/notify.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/notify.schema.json');
    expect(fs.existsSync(path.join(dir, 'ops/.gitattributes'))).toBe(true);
    expect(r.stderr).toContain('notify validate --config ops/notify.yaml');
    mustValidate(dir, 'ops/notify.yaml');
  });

  it('refuses to ask without a terminal: exit 2 naming --yes, nothing written', async () => {
    const dir = tempDir();
    const r = await runNotify(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('notify init --yes');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('notify init, interactively', () => {
  it('asks for the organisation, sender, a first action and parties, re-asks on a bad answer, and writes a valid map', async () => {
    const dir = tempDir();
    const asked: string[] = [];
    const answers: ScriptedAnswer[] = [
      { input: 'Mutuelle Exemple' },
      { input: 'not an address' },
      { input: 'Projets <projets@mutuelle-exemple.fr>' },
      { input: 'de' },
      { input: 'fr' },
      { input: 'customer-email' },
      { input: 'E-mail envoyé aux clients' },
      { input: 'conseillers' },
      { input: 'Conseillers clientèle' },
      { input: 'Marie <marie@mutuelle-exemple.fr>, conseillers@mutuelle-exemple.fr' },
      { confirm: false },
      { confirm: true },
      { input: 'Direction' },
      { input: 'direction' },
      { input: '' },
      { input: 'dg@mutuelle-exemple.fr' },
      { confirm: true },
      { input: '' },
    ];
    const r = await runNotify(['init'], { cwd: dir, interactive: true, prompter: scriptedPrompter(answers, asked) });
    expect(r.code, r.stderr).toBe(0);
    expect(answers).toEqual([]);
    expect(r.stderr).toContain('"not an address" is not one plain e-mail address');
    expect(r.stderr).toContain('"Direction" is not a simple id');
    expect(r.stderr).toContain('no template ships for "de"; choose one of en, fr');
    const map = mustValidate(dir);
    expect(map.organization).toBe('Mutuelle Exemple');
    expect(map.from).toEqual({ name: 'Projets', address: 'projets@mutuelle-exemple.fr' });
    expect(map.locale).toBe('fr');
    expect([...map.actions.values()]).toEqual([{ id: 'customer-email', description: 'E-mail envoyé aux clients' }]);
    const conseillers = map.parties.get('conseillers')!;
    expect(conseillers.name).toBe('Conseillers clientèle');
    expect(conseillers.contacts.map((c) => c.address)).toEqual(['marie@mutuelle-exemple.fr', 'conseillers@mutuelle-exemple.fr']);
    expect(conseillers.affectedBy).toEqual(['customer-email']);
    expect(map.parties.get('direction')).toMatchObject({ name: 'Direction', always: true, affectedBy: [] });
    expect(map.projects.get('first-project')!.actions).toEqual(['customer-email']);
    expect(asked[0]).toMatch(/organisation/i);
  });
});
