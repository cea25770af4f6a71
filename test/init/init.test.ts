import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseMap } from '../../src/config/parse-map.js';
import { ROOT, runNotify, scriptedPrompter, type ScriptedAnswer } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const SHIPPED_SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'notify.schema.json'), 'utf8'));

/** The file the map's first line points editors at, which must exist. */
function schemaTarget(dir: string, map = 'notify.yaml'): string {
  const ref = /^# yaml-language-server: \$schema=(\S+)$/.exec(read(dir, map).split('\n')[0])![1];
  const file = path.resolve(path.dirname(path.join(dir, map)), ref);
  expect(fs.existsSync(file), `${ref} from ${map}`).toBe(true);
  return file;
}

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
    // Not a registry URL: the copy beside the map, which resolves offline.
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./notify.schema.json');
    expect(schemaTarget(dir)).toBe(path.join(dir, 'notify.schema.json'));
    expect(JSON.parse(read(dir, 'notify.schema.json'))).toEqual(SHIPPED_SCHEMA);
    expect(r.stderr).toContain('wrote notify.schema.json');
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
    expect(schemaTarget(dir, 'ops/notify.yaml')).toBe(path.join(installed, 'notify.schema.json'));
    expect(fs.existsSync(path.join(dir, 'ops', 'notify.schema.json'))).toBe(false);
    expect(r.stderr).not.toContain('wrote');
    const own = await runNotify(['--config', 'ops/notify.yaml', 'init', '--yes', '--force', '--schema', '../schema/notify.schema.json'], { cwd: dir });
    expect(own.code).toBe(0);
    expect(read(dir, 'ops/notify.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/notify.schema.json');
    expect(fs.existsSync(path.join(dir, 'ops/.gitattributes'))).toBe(true);
    expect(r.stderr).toContain('notify validate --config ops/notify.yaml');
    mustValidate(dir, 'ops/notify.yaml');
  });

  it('points $schema at the package installed in a parent folder, as a path that resolves from the map', async () => {
    const dir = tempDir();
    const installed = path.join(dir, 'node_modules', 'notify-close', 'schema');
    fs.mkdirSync(installed, { recursive: true });
    fs.writeFileSync(path.join(installed, 'notify.schema.json'), '{}');
    const r = await runNotify(['--config', 'ops/notify.yaml', 'init', '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'ops/notify.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/notify-close/schema/notify.schema.json');
    expect(schemaTarget(dir, 'ops/notify.yaml')).toBe(path.join(installed, 'notify.schema.json'));
  });

  it('never overwrites a notify.schema.json that is not notify\'s schema: exit 2, nothing written', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notify.schema.json'), '{"title": "mine"}');
    const r = await runNotify(['init', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notify\.schema\.json exists and is not notify's schema; it was left as it is\n.*--schema/);
    expect(read(dir, 'notify.schema.json')).toBe('{"title": "mine"}');
    expect(fs.readdirSync(dir)).toEqual(['notify.schema.json']);
  });

  it('makes a starter whose first project previews and dry-runs with no terminal and no flags: it has a summary and an owner', async () => {
    const dir = tempDir();
    expect((await runNotify(['init', '--yes'], { cwd: dir })).code).toBe(0);
    const project = mustValidate(dir).projects.get('first-project')!;
    expect(project.summary).toBe('Our first project is finished');
    expect(project.owner).toEqual({ name: 'Project owner', address: 'owner@example.com' });
    const preview = await runNotify(['preview', 'first-project'], { cwd: dir });
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^Our first project is finished\nQuestions\? Reply to this message: it goes to Project owner\.$/m);
    expect(preview.stdout).toContain('Reply-To: Project owner <owner@example.com>');
    const dry = await runNotify(['close', 'first-project', '--dry-run'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/2 messages would be sent/);
    expect(fs.existsSync(path.join(dir, '.notify', 'log.jsonl'))).toBe(false);
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
      { input: '' },
      { input: 'de' },
      { input: 'fr' },
      { input: 'customer-email' },
      { input: 'E-mail envoyé aux clients' },
      { input: '' },
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
    expect(map.replyTo).toBeUndefined();
    expect(map.projects.get('first-project')!.owner).toBeUndefined();
    expect(asked[0]).toMatch(/organisation/i);
  });

  it('asks for reply_to, several actions and the owner; keeps the good addresses of an answer and asks again only for the wrong one', async () => {
    const dir = tempDir();
    const asked: string[] = [];
    const offered: string[][] = [];
    const answers: ScriptedAnswer[] = [
      { input: 'Acme' },
      { input: 'Projects <projects@acme.test>' },
      { input: 'pm at acme' }, // reply_to, wrong: asked again
      { input: 'pm@acme.test' },
      { input: 'en' },
      { input: 'customer-email' },
      { input: '' }, // its description: the default
      { input: 'pricing' },
      { input: 'Change of price' },
      { input: 'pricing' }, // taken: asked again
      { input: '' }, // no more actions
      { input: 'support' },
      { input: 'Support' },
      { input: 'Marie <marie@acme.test>, not-an-address, desk@acme.test, broken@' },
      { input: 'Paul <paul@acme.test>' }, // replaces not-an-address, in its place
      { input: '' }, // drops broken@
      { confirm: false },
      { checkbox: (choices) => (offered.push(choices.map((c) => c.value)), ['pricing', 'customer-email']) },
      { input: 'sales' },
      { input: '' },
      { input: 'nope' }, // no good address at all: the question again
      { input: '' }, // drop it
      { input: 'sales@acme.test, SALES@acme.test' },
      { confirm: false },
      { checkbox: () => ['pricing'] },
      { input: '' }, // no more parties
      { input: 'Jo <jo@acme.test>' }, // the first project's owner
    ];
    const r = await runNotify(['init'], { cwd: dir, interactive: true, prompter: scriptedPrompter(answers, asked) });
    expect(r.code, r.stderr).toBe(0);
    expect(answers).toEqual([]);
    expect(r.stderr).toContain('"pm at acme" is not one plain e-mail address');
    expect(r.stderr).toContain('"pricing" is already used');
    expect(r.stderr).toContain('"not-an-address" is not one plain e-mail address');
    expect(r.stderr).toContain('give at least one e-mail address');
    expect(asked).toContain('Correct "not-an-address" (leave empty to drop it)');
    expect(asked).toContain('Correct "broken@" (leave empty to drop it)');
    expect(asked.filter((q) => q.startsWith('Contacts of Support'))).toHaveLength(1);
    expect(asked.filter((q) => q.startsWith('Contacts of Sales'))).toHaveLength(2);
    expect(offered).toEqual([['customer-email', 'pricing']]);
    const map = mustValidate(dir);
    expect(map.replyTo).toEqual({ address: 'pm@acme.test' });
    expect([...map.actions.keys()]).toEqual(['customer-email', 'pricing']);
    expect(map.actions.get('customer-email')!.description).toBe('E-mail or mailing sent to customers');
    const support = map.parties.get('support')!;
    expect(support.contacts.map((c) => c.address)).toEqual(['marie@acme.test', 'paul@acme.test', 'desk@acme.test']);
    expect(support.affectedBy).toEqual(['customer-email', 'pricing']);
    expect(map.parties.get('sales')!.contacts.map((c) => c.address)).toEqual(['sales@acme.test']);
    expect(map.parties.get('sales')!.affectedBy).toEqual(['pricing']);
    expect(map.projects.get('first-project')).toMatchObject({ actions: ['customer-email'], owner: { name: 'Jo', address: 'jo@acme.test' } });
  });
});
