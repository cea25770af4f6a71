import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNotify, spawnNotify, writeMap } from '../helpers/workspace.js';
import { scratchDir } from '../fixtures/scratch.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { RELEASE_MAP, commit, git, makeRepo } from './repo.js';

const LOG = '.notify/log.jsonl';

describe('notify log --verify', () => {
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
  });
  afterEach(() => smtp.close());

  async function closedDir(): Promise<string> {
    const dir = scratchDir();
    writeMap(dir, RELEASE_MAP);
    const r = await runNotify(['close', 'spring', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.code, r.stderr).toBe(0);
    return dir;
  }

  it('a log written by close passes: exit 0', async () => {
    const dir = await closedDir();
    const r = await spawnNotify(['log', '--verify'], { cwd: dir });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\.notify\/log\.jsonl: \d+ events, no problem/);
  });

  it('reports each problem with its line: conflict markers, bad lines, duplicate ids; exit 1', async () => {
    const dir = await closedDir();
    const file = path.join(dir, LOG);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const n = lines.length;
    const broken = [...lines, '<<<<<<< HEAD', lines[1], '=======', '{"event": "close.planned"', '>>>>>>> release/spring', '{"id":"x","ts":"t","event":"project.closed"}', ''];
    fs.writeFileSync(file, broken.join('\n'));
    const r = await spawnNotify(['log', '--verify'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `${LOG}:${n + 1}: merge conflict marker: resolve the conflict by keeping the lines of both sides (and declare ".notify/log.jsonl merge=union" in .gitattributes)`,
      `${LOG}:${n + 2}: duplicate event id ${JSON.parse(lines[1]).id} (first on line 2); keep one of the two lines`,
      `${LOG}:${n + 3}: merge conflict marker: resolve the conflict by keeping the lines of both sides (and declare ".notify/log.jsonl merge=union" in .gitattributes)`,
      `${LOG}:${n + 4}: not valid JSON`,
      `${LOG}:${n + 5}: merge conflict marker: resolve the conflict by keeping the lines of both sides (and declare ".notify/log.jsonl merge=union" in .gitattributes)`,
      `${LOG}:${n + 6}: not a log event: "project" missing or not a string`,
    ]);
    const json = await spawnNotify(['log', '--verify', '--json'], { cwd: dir });
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ file: LOG, ok: false, events: n });
    expect(JSON.parse(json.stdout).problems.map((p: any) => p.line)).toEqual([n + 1, n + 2, n + 3, n + 4, n + 5, n + 6]);
  });

  it('a last line cut off mid-write is reported', async () => {
    const dir = await closedDir();
    fs.appendFileSync(path.join(dir, LOG), '{"id":"a","ts":"t","pro');
    const r = await runNotify(['log', '--verify'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/:\d+: the last line has no newline: a write was cut off/);
  });

  it('checks a log given with --log, with no map around (a CI artifact)', async () => {
    const dir = await closedDir();
    const elsewhere = scratchDir();
    fs.copyFileSync(path.join(dir, LOG), path.join(elsewhere, 'artifact.jsonl'));
    let r = await runNotify(['--log', 'artifact.jsonl', 'log', '--verify'], { cwd: elsewhere });
    expect(r.code, r.stderr).toBe(0);
    r = await runNotify(['--log', 'missing.jsonl', 'log', '--verify'], { cwd: elsewhere });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.jsonl: no such log file');
  });

  describe('two branches that both closed something, merged in git', () => {
    async function mergedLogs(attributes: boolean): Promise<{ dir: string; merge: boolean }> {
      const plan2 = RELEASE_MAP.replace('projects:\n', 'projects:\n  autumn:\n    actions: [pricing]\n    summary: "Autumn prices"\n');
      const dir = makeRepo(attributes ? { '.gitattributes': '.notify/log.jsonl merge=union\n' } : {}, plan2);
      const env = { NOTIFY_SMTP_URL: smtp.url };
      expect((await runNotify(['close', 'spring', '--yes'], { cwd: dir, env })).code).toBe(0);
      commit(dir, {}, 'log: spring');
      git(dir, 'checkout', '-q', '-b', 'release/autumn');
      expect((await runNotify(['close', 'autumn', '--yes'], { cwd: dir, env })).code).toBe(0);
      commit(dir, {}, 'log: autumn');
      git(dir, 'checkout', '-q', 'main');
      expect((await runNotify(['close', 'hotfix', '--title', 'Hotfix', '--action', 'customer-email', '--summary', 'Hotfix', '--yes'], { cwd: dir, env })).code).toBe(0);
      commit(dir, {}, 'log: hotfix');
      let merge = true;
      try {
        git(dir, 'merge', '-q', '--no-edit', 'release/autumn');
      } catch {
        merge = false;
      }
      return { dir, merge };
    }

    it('with merge=union in .gitattributes the logs merge cleanly and every close is still closed', async () => {
      const { dir, merge } = await mergedLogs(true);
      expect(merge).toBe(true);
      expect((await runNotify(['log', '--verify'], { cwd: dir })).code).toBe(0);
      for (const p of ['spring', 'autumn', 'hotfix']) expect((await runNotify(['check', p], { cwd: dir })).code, p).toBe(0);
    });

    it('without it, git leaves conflict markers and --verify points at them', async () => {
      const { dir, merge } = await mergedLogs(false);
      expect(merge).toBe(false);
      const r = await runNotify(['log', '--verify'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/log\.jsonl:\d+: merge conflict marker/);
    });
  });
});
