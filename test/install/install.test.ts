/**
 * The package as users get it: `npm pack`, installed globally into a temporary prefix, run from
 * there. Catches a file missing from "files", a broken bin shim, a path that only works in the
 * source tree. The registry is never contacted: the dependencies, exactly as locked, are bundled
 * into a copy of the packed tarball first, and npm runs with --offline.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ROOT, tempDir } from '../helpers/workspace.js';

const NPM_ENV = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_loglevel: 'error' };
const npm = (args: string[], cwd: string) => execa('npm', args, { cwd, env: NPM_ENV, timeout: 120_000 });

async function pack(dir: string, dest: string): Promise<{ file: string; files: string[] }> {
  const r = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dest], dir);
  const [info] = JSON.parse(r.stdout);
  return { file: path.join(dest, info.filename), files: info.files.map((f: { path: string }) => f.path) };
}

/** A copy of the tarball that carries its production dependencies, as the lockfile has them. */
async function withBundledDependencies(tarball: string, work: string): Promise<string> {
  const stage = path.join(work, 'stage');
  fs.mkdirSync(stage);
  await execa('tar', ['-xzf', tarball, '-C', stage]);
  const pkgDir = path.join(stage, 'package');
  const pkgFile = path.join(pkgDir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  pkg.bundleDependencies = Object.keys(pkg.dependencies);
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  for (const [where, entry] of Object.entries<{ dev?: boolean; devOptional?: boolean }>(lock.packages)) {
    if (!where.startsWith('node_modules/') || entry.dev || entry.devOptional) continue;
    fs.cpSync(path.join(ROOT, where), path.join(pkgDir, where), { recursive: true, dereference: true });
  }
  // Packed again with tar: npm reads a tarball holding package/, and npm pack would spend
  // seconds compressing the dependencies in JavaScript.
  const bundled = path.join(work, 'bundled.tgz');
  await execa('tar', ['-czf', bundled, '-C', stage, 'package']);
  return bundled;
}

describe('the packed package, installed', () => {
  it('installs from the tarball into a prefix and runs --help, init --yes, stakeholders and validate there', async () => {
    const work = tempDir('notify-install-');
    try {
      await packInstallAndRun(work);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});

async function packInstallAndRun(work: string): Promise<void> {
  const { file, files } = await pack(ROOT, work);
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/notify.js', 'dist/main.js', 'dist/run.js', 'dist/commands/init.js', 'dist/adapters/mail/compose-worker.js', 'schema/notify.schema.json', 'templates/close.en.md', 'templates/close.fr.md']));
  expect(files.filter((f) => /^(src|test)\//.test(f))).toEqual([]);

  const prefix = path.join(work, 'prefix');
  // npm's cache in the folder too, so the run leaves no copy of the tarball behind.
  await npm(['install', '--global', '--prefix', prefix, '--cache', path.join(work, 'npm-cache'), '--offline', '--no-audit', '--no-fund', await withBundledDependencies(file, work)], work);
  const bin = path.join(prefix, 'bin');
  expect(fs.existsSync(path.join(bin, 'notify'))).toBe(true);

  const project = path.join(work, 'project');
  fs.mkdirSync(project);
  const notify = (args: string[]) => execa('notify', args, { cwd: project, env: { CI: 'true', NO_COLOR: '1', PATH: `${bin}${path.delimiter}${process.env.PATH}` }, reject: false, timeout: 30_000 });

  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  expect((await notify(['--version'])).stdout).toBe(version);
  const help = await notify(['--help']);
  expect(help.exitCode).toBe(0);
  expect(help.stdout).toMatch(/^Usage: notify /);
  expect(help.stdout).toContain('Exit codes:');

  const init = await notify(['init', '--yes']);
  expect(init.exitCode, init.stderr).toBe(0);
  expect(fs.readFileSync(path.join(project, 'notify.yaml'), 'utf8').split('\n')[0]).toBe(`# yaml-language-server: $schema=https://unpkg.com/notify-close@${version}/schema/notify.schema.json`);

  const who = await notify(['stakeholders', '--json']);
  expect(who.exitCode, who.stderr).toBe(0);
  expect(JSON.parse(who.stdout).map((p: { id: string }) => p.id)).toEqual(['customer-service', 'sales', 'management']);

  const valid = await notify(['validate']);
  expect(valid.exitCode, valid.stdout + valid.stderr).toBe(0);
  const schema = await notify(['schema', '--path']);
  expect(fs.realpathSync(schema.stdout.trim()).startsWith(fs.realpathSync(prefix))).toBe(true);
}
