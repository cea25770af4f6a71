/**
 * The package as users get it: `npm pack`, installed globally into a temporary prefix, run from
 * there and from a project whose node_modules holds it. Catches a file missing from "files", a
 * broken bin shim, a path that only works in the source tree. The registry is never contacted:
 * npm installs the packed tarball with its dependencies left out, then the production
 * dependencies, exactly as locked, are linked into the installed package's node_modules (hard
 * links, so they resolve as copies would, from inside the prefix) and its package.json is put
 * back as packed. The pack skips the prepack build: `npm test` has just built dist/.
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

/**
 * A copy of the tarball without its dependencies, for npm to install offline; and the packed
 * package.json, to put back once npm has installed the copy.
 */
async function withoutDependencies(tarball: string, work: string): Promise<{ bare: string; manifest: string }> {
  const stage = path.join(work, 'stage');
  fs.mkdirSync(stage);
  await execa('tar', ['-xzf', tarball, '-C', stage]);
  const pkgFile = path.join(stage, 'package', 'package.json');
  const manifest = fs.readFileSync(pkgFile, 'utf8');
  const pkg = JSON.parse(manifest);
  delete pkg.dependencies;
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  const bare = path.join(work, 'bare.tgz');
  await execa('tar', ['-czf', bare, '-C', stage, 'package']);
  return { bare, manifest };
}

/**
 * The production dependencies of the lockfile, each where the lockfile puts it, under
 * `installed`/node_modules. A file is a hard link to the one in this checkout's node_modules (a
 * copy where the two are not on one file system): copying the dependencies and having npm unpack
 * them again cost more CPU than any other test of the suite. Each lockfile entry brings its own
 * files; a nested node_modules comes from its own entry.
 */
function linkLockedDependencies(installed: string): void {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  for (const [where, entry] of Object.entries<{ dev?: boolean; devOptional?: boolean }>(lock.packages)) {
    if (!where.startsWith('node_modules/') || entry.dev || entry.devOptional) continue;
    linkTree(fs.realpathSync(path.join(ROOT, where)), path.join(installed, where));
  }
}

function linkTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const [a, b] = [path.join(from, e.name), path.join(to, e.name)];
    if (e.isDirectory()) linkTree(a, b);
    else if (e.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(a), b);
    else {
      try {
        fs.linkSync(a, b);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        fs.copyFileSync(a, b);
      }
    }
  }
}

describe('the packed package, installed', () => {
  it('installs from the tarball into a prefix and runs --help, init --yes, stakeholders and validate there; where it is a dependency, init points $schema into node_modules', async () => {
    const work = tempDir('notify-install-');
    try {
      await packInstallAndRun(work);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('package.json runs no install script: the build runs before npm pack only', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepack).toBe('npm run build');
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[script], script).toBeUndefined();
  });
});

async function packInstallAndRun(work: string): Promise<void> {
  const { file, files } = await pack(ROOT, work);
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'examples/ci/github-actions.yml', 'bin/notify.js', 'dist/main.js', 'dist/run.js', 'dist/commands/init.js', 'dist/adapters/mail/compose-worker.js', 'schema/notify.schema.json', 'templates/close.en.md', 'templates/close.fr.md']));
  expect(files.filter((f) => /^(src|test)\//.test(f))).toEqual([]);
  // The demo needs smtp-server, a dev dependency: it stays in the repository.
  expect(files).not.toContain('examples/demo.mjs');

  const prefix = path.join(work, 'prefix');
  // npm's cache in the folder too, so the run leaves no copy of the tarball behind.
  const { bare, manifest } = await withoutDependencies(file, work);
  await npm(['install', '--global', '--prefix', prefix, '--cache', path.join(work, 'npm-cache'), '--offline', '--no-audit', '--no-fund', bare], work);
  const bin = path.join(prefix, 'bin');
  expect(fs.existsSync(path.join(bin, 'notify'))).toBe(true);
  const installed = path.join(prefix, 'lib', 'node_modules', 'notify-close');
  fs.writeFileSync(path.join(installed, 'package.json'), manifest);
  linkLockedDependencies(installed);

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
  expect(fs.readFileSync(path.join(project, 'notify.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./notify.schema.json');
  expect(fs.readFileSync(path.join(project, 'notify.schema.json'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'schema', 'notify.schema.json'), 'utf8'));

  const who = await notify(['stakeholders', '--json']);
  expect(who.exitCode, who.stderr).toBe(0);
  expect(JSON.parse(who.stdout).map((p: { id: string }) => p.id)).toEqual(['customer-service', 'sales', 'management']);

  const valid = await notify(['validate']);
  expect(valid.exitCode, valid.stdout + valid.stderr).toBe(0);
  const schema = await notify(['schema', '--path']);
  expect(fs.realpathSync(schema.stdout.trim()).startsWith(fs.realpathSync(prefix))).toBe(true);

  // A project that has the installed package in its node_modules (as npm link puts it there; a
  // second npm install would cost seconds of CPU for the same layout): $schema points into it.
  const dependent = path.join(work, 'dependent');
  fs.mkdirSync(path.join(dependent, 'node_modules'), { recursive: true });
  fs.symlinkSync(path.join(prefix, 'lib', 'node_modules', 'notify-close'), path.join(dependent, 'node_modules', 'notify-close'), 'junction');
  const dep = await execa('notify', ['init', '--yes'], { cwd: dependent, env: { CI: 'true', NO_COLOR: '1', PATH: `${bin}${path.delimiter}${process.env.PATH}` }, reject: false, timeout: 30_000 });
  expect(dep.exitCode, dep.stderr).toBe(0);
  const ref = fs.readFileSync(path.join(dependent, 'notify.yaml'), 'utf8').split('\n')[0];
  expect(ref).toBe('# yaml-language-server: $schema=./node_modules/notify-close/schema/notify.schema.json');
  expect(fs.readFileSync(path.join(dependent, ref.split('=')[1]), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'schema', 'notify.schema.json'), 'utf8'));
  expect(fs.existsSync(path.join(dependent, 'notify.schema.json'))).toBe(false);
}
