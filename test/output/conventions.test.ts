import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { SMALL_MAP } from '../fixtures/maps.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { BIN, spawnNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';
import { createRealContext } from '../../src/adapters/terminal/real-context.js';
import { colorEnabled } from '../../src/adapters/terminal/style.js';

const ANSI = /\u001b\[/;
/** Colour forced on, NO_COLOR unset: any escape code comes from notify. */
const FORCED = { FORCE_COLOR: '1', NO_COLOR: undefined };

/** Folders shared by the tests of a describe block: all removed when the file is done. */
const tempDir = scratchDirs('all');

describe('colour: NO_COLOR, --no-color, FORCE_COLOR, TERM=dumb, and only on terminals', () => {
  const dir = tempDir();
  writeMap(dir, SMALL_MAP);

  it('FORCE_COLOR=1 colours the output of the built binary; NO_COLOR, --no-color and FORCE_COLOR=0 remove every escape code', async () => {
    const forced = await spawnNotify(['stakeholders'], { cwd: dir, env: FORCED });
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toMatch(ANSI);
    for (const [env, args] of [
      [{ FORCE_COLOR: undefined, NO_COLOR: '1' }, []],
      [{ FORCE_COLOR: '1', NO_COLOR: '1' }, []],
      [FORCED, ['--no-color']],
      [{ FORCE_COLOR: '0', NO_COLOR: undefined }, []],
    ] as const) {
      const r = await spawnNotify([...args, 'stakeholders'], { cwd: dir, env });
      expect(r.exitCode).toBe(0);
      expect(r.stdout, JSON.stringify(env)).not.toMatch(ANSI);
      expect(r.stdout).toContain('Customer support (support)');
    }
  });

  it('decides from the environment: TERM=dumb and a pipe mean no colour unless forced', () => {
    expect(colorEnabled({ TERM: 'xterm-256color' }, true)).toBe(true);
    expect(colorEnabled({ TERM: 'dumb' }, true)).toBe(false);
    expect(colorEnabled({ TERM: 'dumb', FORCE_COLOR: '1' }, true)).toBe(true);
    expect(colorEnabled({ NO_COLOR: '' }, true)).toBe(true);
    expect(colorEnabled({ NO_COLOR: 'x', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: '1' }, true, false)).toBe(false);
    expect(colorEnabled({}, false)).toBe(false);
  });

  it('gives no colour when stdout is piped, even with stderr on a terminal (notify stakeholders | grep)', () => {
    const saved = { out: process.stdout.isTTY, err: process.stderr.isTTY, env: { ...process.env } };
    try {
      for (const k of ['NO_COLOR', 'FORCE_COLOR', 'CI']) delete process.env[k];
      process.env.TERM = 'xterm-256color';
      const colorWith = (out: boolean, err: boolean) => {
        Object.assign(process.stdout, { isTTY: out });
        Object.assign(process.stderr, { isTTY: err });
        return createRealContext({}, { signal: new AbortController().signal, holdSignals: () => () => undefined }).color;
      };
      expect(colorWith(true, true)).toBe(true);
      expect(colorWith(false, true)).toBe(false);
      expect(colorWith(true, false)).toBe(false);
    } finally {
      Object.assign(process.stdout, { isTTY: saved.out });
      Object.assign(process.stderr, { isTTY: saved.err });
      // In place: process.env stays the real environment that later tests in this worker share.
      for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
      Object.assign(process.env, saved.env);
    }
  });
});

describe('stdout for data, stderr for people', () => {
  let smtp: TestSmtp;
  const dir = tempDir();
  writeMap(dir, SMALL_MAP);
  beforeAll(async () => {
    smtp = await startSmtp();
    const r = await spawnNotify(['close', 'ecard', '--summary', 'New Year e-card sent', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.exitCode, r.stderr).toBe(0);
  });
  afterAll(() => smtp.close());

  const listings: [string, string[], (out: any) => void][] = [
    ['stakeholders', ['stakeholders', '--project', 'ecard', '--json'], (o) => expect(o.map((p: any) => p.id)).toEqual(['support', 'legal', 'boss'])],
    ['status', ['status', '--json'], (o) => expect(o.find((p: any) => p.project === 'ecard')).toMatchObject({ closed: true })],
    ['check', ['check', 'ecard', '--json'], (o) => expect(o).toMatchObject({ project: 'ecard', closed: true, pending: [] })],
    ['log', ['log', 'ecard', '--json'], (o) => expect(o.at(-1).event).toBe('project.closed')],
    ['validate', ['validate', '--json'], (o) => expect(o).toMatchObject({ file: 'notify.yaml', errors: 0 })],
    ['report', ['report', 'ecard', '--format', 'json'], (o) => expect(o).toMatchObject({ project: 'ecard' })],
  ];
  for (const [name, args, check] of listings) {
    it(`notify ${args.join(' ')} prints one JSON document and nothing else, even with colour forced`, async () => {
      const r = await spawnNotify(args, { cwd: dir, env: FORCED });
      expect(r.exitCode, `${name}: ${r.stderr}`).toBeLessThanOrEqual(1);
      expect(r.stdout).not.toMatch(ANSI);
      expect(r.stderr).toBe('');
      check(JSON.parse(r.stdout));
    });
  }

  it('errors go to stderr with exit 2, and stdout stays empty', async () => {
    const r = await spawnNotify(['stakeholders', '--action', 'pricng', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^notify: --action pricng: no such action in the map \(did you mean "pricing"\?\)/);
    const none = await spawnNotify(['status', '--json'], { cwd: tempDir() });
    expect(none.exitCode).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('no notify.yaml found');
  });

  it('--quiet leaves only data and errors', async () => {
    const empty = tempDir();
    writeMap(empty, SMALL_MAP.replace(/projects:[\s\S]*$/, ''));
    for (const cmd of [['status'], ['log'], ['stakeholders', '--action', 'pricing']]) {
      const loud = await spawnNotify(cmd, { cwd: empty });
      const quiet = await spawnNotify(['--quiet', ...cmd], { cwd: empty });
      expect(quiet.exitCode).toBe(loud.exitCode);
      expect(quiet.stdout).toBe(loud.stdout);
      expect(quiet.stderr, cmd.join(' ')).toBe('');
    }
    expect((await spawnNotify(['status'], { cwd: empty })).stderr).toContain('no project yet');
  });

  it.each([['log'], ['close', '--help']])('stops quietly, exit 0, when the reader of stdout goes away (notify %s | head)', async (...args: string[]) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
