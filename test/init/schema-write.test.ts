/** notify schema --write: refresh the copy of the schema that the map's $schema line names. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runNotify } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();
const SHIPPED = fs.readFileSync(path.join(ROOT, 'schema', 'notify.schema.json'), 'utf8');
const OLD_COPY = JSON.stringify({ $id: 'https://unpkg.com/notify-close/schema/notify.schema.json', title: 'an older notify' });
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('notify schema --write', () => {
  it('refreshes the copy notify init wrote beside the map, from a subfolder too, and prints its path', async () => {
    const dir = tempDir();
    expect((await runNotify(['init', '--yes'], { cwd: dir })).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'notify.schema.json'), OLD_COPY);
    fs.mkdirSync(path.join(dir, 'src'));
    const r = await runNotify(['schema', '--write'], { cwd: path.join(dir, 'src') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${path.join(dir, 'notify.schema.json')}\n`);
    expect(r.stderr).toBe('');
    expect(read(dir, 'notify.schema.json')).toBe(SHIPPED);
  });

  it('writes the file the map names when it is a local path of its own choosing', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'schema'));
    expect((await runNotify(['--config', 'ops/notify.yaml', 'init', '--yes', '--schema', '../schema/notify.schema.json'], { cwd: dir })).code).toBe(0);
    const r = await runNotify(['--config', 'ops/notify.yaml', 'schema', '--write'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('schema/notify.schema.json\n');
    expect(read(dir, 'schema/notify.schema.json')).toBe(SHIPPED);
    expect(fs.existsSync(path.join(dir, 'ops', 'notify.schema.json'))).toBe(false);
  });

  it('a map with no $schema line, or one pointing at a URL or into node_modules, gets the copy beside it and a line saying how to use it', async () => {
    for (const [first, said] of [
      ['version: 1', /notify\.yaml has no \$schema line; make its first line "# yaml-language-server: \$schema=\.\/notify\.schema\.json"/],
      ['# yaml-language-server: $schema=https://example.com/notify.schema.json', /points its \$schema line at https:\/\/example\.com\/notify\.schema\.json; change it to \.\/notify\.schema\.json/],
      ['# yaml-language-server: $schema=./node_modules/notify-close/schema/notify.schema.json', /points its \$schema line at \.\/node_modules\/notify-close\/schema\/notify\.schema\.json; change it/],
    ] as const) {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'notify.yaml'), `${first}\nfrom: a@b.test\n`);
      const r = await runNotify(['schema', '--write'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('notify.schema.json\n');
      expect(r.stderr).toMatch(said);
      expect(read(dir, 'notify.schema.json')).toBe(SHIPPED);
      expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    }
  });

  it('with no map anywhere, writes notify.schema.json in the current folder', async () => {
    const dir = tempDir();
    const r = await runNotify(['schema', '--write', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'notify.schema.json')).toBe(SHIPPED);
  });

  it('never overwrites a file that is not notify\'s schema, and refuses --path with --write (exit 2, nothing written)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notify.yaml'), '# yaml-language-server: $schema=./mine.json\nversion: 1\n');
    fs.writeFileSync(path.join(dir, 'mine.json'), '{"title": "mine"}');
    const r = await runNotify(['schema', '--write'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("mine.json exists and is not notify's schema; it was left as it is");
    expect(r.stdout).toBe('');
    expect(read(dir, 'mine.json')).toBe('{"title": "mine"}');
    const both = await runNotify(['schema', '--write', '--path'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--path and --write');
    expect(fs.readdirSync(dir).sort()).toEqual(['mine.json', 'notify.yaml']);
  });
});
