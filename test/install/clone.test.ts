/**
 * A clone as it is deployed: `npm ci --omit=dev` must succeed, which it cannot if an install
 * script needs a dev dependency (tsc). Packages come from npm's cache when it holds them (in CI,
 * the npm ci before the tests has just filled it), from the registry otherwise.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ROOT, tempDir } from '../helpers/workspace.js';

const NPM_ENV = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_loglevel: 'error' };

describe('a clone, installed for production', () => {
  it('npm ci --omit=dev succeeds in a fresh clone, with no dev dependency installed', async () => {
    const work = tempDir('notify-clone-');
    try {
      const clone = path.join(work, 'notify');
      await execa('git', ['clone', '--quiet', ROOT, clone]);
      // The lock and manifest on disk, so an uncommitted change to them is tested too.
      for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(ROOT, f), path.join(clone, f));
      const r = await execa('npm', ['ci', '--omit=dev', '--prefer-offline', '--ignore-scripts=false', '--no-audit', '--no-fund'], { cwd: clone, env: NPM_ENV, timeout: 120_000, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
      const installed = fs.readdirSync(path.join(clone, 'node_modules'));
      expect(installed).toEqual(expect.arrayContaining(['commander', 'nodemailer', 'yaml']));
      for (const dev of ['typescript', 'vitest', 'smtp-server']) expect(installed).not.toContain(dev);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
