/**
 * argv -> the options a command's run function receives, for every command, through the real
 * program with the run functions replaced (in the manner of the GitHub CLI's TestNewCmdClose).
 * Flag names and defaults are contracts documented in README.md: a change here is a change there.
 */
import { describe, expect, it } from 'vitest';
import { Command, CommanderError } from 'commander';
import { MapLoader } from '../../src/config/load.js';
import type { Context } from '../../src/context.js';
import { buildProgram } from '../../src/program.js';
import type { RunnerLoaders } from '../../src/runners.js';
import { scratchDirs } from '../fixtures/scratch.js';
import { scriptedPrompter } from '../helpers/workspace.js';
import { plainStyle } from '../../src/adapters/terminal/style.js';
import { realPorts } from '../../src/adapters/real-ports.js';

const tempDir = scratchDirs();

interface Received {
  command: string;
  options: Record<string, unknown>;
}

function fakeContext(cwd: string): Context {
  const quiet = { write: () => undefined };
  return {
    cwd,
    env: {},
    stdout: quiet,
    stderr: quiet,
    interactive: false,
    tty: false,
    color: false,
    style: plainStyle,
    quiet: false,
    verbose: false,
    now: () => new Date('2027-01-05T09:00:00Z'),
    prompter: scriptedPrompter([]),
    signal: new AbortController().signal,
    holdSignals: () => () => undefined,
    ports: realPorts(),
  };
}

/** Parses argv with every run function replaced by one that records what it was given. */
async function parse(argv: string[]): Promise<Received> {
  let received: Received | undefined;
  const record = (command: string) => async () => async (options: object) => {
    received = { command, options: { ...options } };
    return 0;
  };
  const runners: RunnerLoaders = {
    stakeholders: record('stakeholders'),
    close: record('close'),
    amend: record('amend'),
    check: record('check'),
    status: record('status'),
    due: record('due'),
    log: record('log'),
    plan: record('plan'),
    report: record('report'),
    init: record('init'),
    validate: record('validate'),
    schema: record('schema'),
    completion: record('completion'),
    complete: record('__complete'),
    preview: record('preview'),
    acks: record('acks'),
    ack: record('ack'),
    remind: record('remind'),
  };
  const ctx = fakeContext(tempDir());
  const program = buildProgram(() => ctx, () => undefined, runners);
  for (const cmd of [program, ...program.commands]) cmd.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  await program.parseAsync(argv, { from: 'user' });
  if (!received) throw new Error(`no command ran for ${argv.join(' ')}`);
  // Every command gets the map loader the CLI prepared; the rest is what the table states.
  const { mapLoader, ...options } = received.options;
  expect(mapLoader).toBeInstanceOf(MapLoader);
  return { command: received.command, options };
}

const COMMON = { config: undefined, log: undefined };
const ANSWERS = {
  actions: [],
  parties: [],
  skips: [],
  summary: undefined,
  detailsFile: undefined,
  title: undefined,
  effective: undefined,
  audience: undefined,
  customersSee: undefined,
  answer: undefined,
  notes: [],
  links: [],
};

const STAKEHOLDERS = { ...COMMON, project: undefined, actions: [], json: undefined, since: undefined };
const CLOSE = { ...COMMON, ...ANSWERS, project: '', yes: false, dryRun: false, resendUnknown: false, markSent: [], concurrency: undefined, wait: false, since: undefined, fromBranch: false, transport: undefined, acceptLate: [], testTo: undefined };
const AMEND = { ...COMMON, project: 'voeux-2027', parties: [], correction: undefined, effective: undefined, cancel: false, acceptLate: [], detailsFile: undefined, reason: undefined, yes: false, dryRun: false, resendUnknown: false, markSent: [], concurrency: undefined, wait: false, transport: undefined };
const CHECK = { ...COMMON, project: undefined, json: undefined, fromBranch: false, acks: false };
const STATUS = { ...COMMON, project: undefined, json: undefined };
const DUE = { ...COMMON, within: undefined, json: undefined };
const LOG = { ...COMMON, project: undefined, json: undefined, verify: false };
const PLAN = { ...COMMON, ...ANSWERS, project: undefined, fromBranch: false, since: undefined, yes: false };
const REPORT = { ...COMMON, project: 'voeux-2027', format: 'md' };
const INIT = { ...COMMON, yes: false, force: false, schema: undefined };
const VALIDATE = { ...COMMON, json: undefined };
const SCHEMA = { ...COMMON, path: false, write: false };
const PREVIEW = { ...COMMON, ...ANSWERS, project: 'voeux-2027', date: undefined, out: undefined, open: false, json: false, sendTo: undefined };

const TABLE: { name: string; argv: string[]; command: string; want: Record<string, unknown> }[] = [
  { name: 'stakeholders, no flags', argv: ['stakeholders'], command: 'stakeholders', want: STAKEHOLDERS },
  { name: 'stakeholders of a project, as JSON', argv: ['stakeholders', 'voeux-2027', '--json'], command: 'stakeholders', want: { ...STAKEHOLDERS, project: 'voeux-2027', json: true } },
  { name: 'stakeholders of a project by the hidden -p of earlier versions', argv: ['stakeholders', '-p', 'voeux-2027', '--json'], command: 'stakeholders', want: { ...STAKEHOLDERS, project: 'voeux-2027', json: true } },
  {
    name: 'stakeholders of two actions (repeatable), and of the files changed since a ref',
    argv: ['stakeholders', '--action', 'pricing', '-a', 'customer-email', '--since', 'main'],
    command: 'stakeholders',
    want: { ...STAKEHOLDERS, actions: ['pricing', 'customer-email'], since: 'main' },
  },
  { name: 'the global --config and --log reach the command', argv: ['--config', 'ops/notify.yaml', '--log', 'artifacts/log.jsonl', 'stakeholders'], command: 'stakeholders', want: { ...STAKEHOLDERS, config: 'ops/notify.yaml', log: 'artifacts/log.jsonl' } },
  { name: 'close a project', argv: ['close', 'voeux-2027'], command: 'close', want: { ...CLOSE, project: 'voeux-2027' } },
  { name: 'close from the branch name, without asking', argv: ['close', '--from-branch', '--yes'], command: 'close', want: { ...CLOSE, fromBranch: true, yes: true } },
  {
    name: 'close with answers given as flags',
    argv: ['close', 'promo-ete', '--action', 'pricing', '--skip', 'legal=reviewed the offer already', '-m', 'Summer prices', '-P', 'press', '--details-file', 'details.md', '--title', 'Summer promo', '-y'],
    command: 'close',
    want: { ...CLOSE, project: 'promo-ete', actions: ['pricing'], parties: ['press'], skips: ['legal=reviewed the offer already'], summary: 'Summer prices', detailsFile: 'details.md', title: 'Summer promo', yes: true },
  },
  {
    name: 'close: every sending flag',
    argv: ['close', 'voeux-2027', '-n', '--resend-unknown', '--mark-sent', 'a@x.test=in the archive', '--mark-sent', 'b@x.test=phoned', '--concurrency', '3', '--wait', '--since', 'main', '--transport', 'file'],
    command: 'close',
    want: { ...CLOSE, project: 'voeux-2027', dryRun: true, resendUnknown: true, markSent: ['a@x.test=in the archive', 'b@x.test=phoned'], concurrency: 3, wait: true, since: 'main', transport: 'file' },
  },
  {
    name: 'close with what the message says, and a test to oneself first',
    argv: ['close', 'voeux-2027', '--effective', '2027-01-04 09:00', '--audience', '40,000 customers', '--customers-see', 'a card', '--answer', 'Yes, it is ours', '--note', 'conseillers=nothing to log', '--note', 'ventes=mention it', '--link', 'FAQ=https://x.test/faq', '--link', 'Card=https://x.test/card', '--test-to', 'me@x.test'],
    command: 'close',
    want: {
      ...CLOSE,
      project: 'voeux-2027',
      effective: '2027-01-04 09:00',
      audience: '40,000 customers',
      customersSee: 'a card',
      answer: 'Yes, it is ours',
      notes: ['conseillers=nothing to log', 'ventes=mention it'],
      links: ['FAQ=https://x.test/faq', 'Card=https://x.test/card'],
      testTo: 'me@x.test',
    },
  },
  { name: 'amend: tell two parties left out', argv: ['amend', 'voeux-2027', '-P', 'marketing', '--party', 'press', '-r', 'left out', '-y'], command: 'amend', want: { ...AMEND, parties: ['marketing', 'press'], reason: 'left out', yes: true } },
  {
    name: 'amend: a correction with details, and the sending flags',
    argv: ['amend', 'voeux-2027', '--correction', 'New date', '--details-file', 'fix.md', '--reason', 'wrong date', '-n', '--resend-unknown', '--mark-sent', 'a@x.test=phoned', '--concurrency', '2', '--wait', '--transport', 'file'],
    command: 'amend',
    want: { ...AMEND, correction: 'New date', detailsFile: 'fix.md', reason: 'wrong date', dryRun: true, resendUnknown: true, markSent: ['a@x.test=phoned'], concurrency: 2, wait: true, transport: 'file' },
  },
  {
    name: 'amend: a new date, a late party accepted',
    argv: ['amend', 'voeux-2027', '--correction', 'A week later', '--effective', '2027-01-14', '--accept-late', 'legal=moved at short notice', '-r', 'late printer', '-y'],
    command: 'amend',
    want: { ...AMEND, correction: 'A week later', effective: '2027-01-14', acceptLate: ['legal=moved at short notice'], reason: 'late printer', yes: true },
  },
  { name: 'amend: cancel', argv: ['amend', 'voeux-2027', '--cancel', '-r', 'called off', '-y'], command: 'amend', want: { ...AMEND, cancel: true, reason: 'called off', yes: true } },
  { name: 'check every planned project', argv: ['check'], command: 'check', want: CHECK },
  { name: 'due, every open project', argv: ['due'], command: 'due', want: DUE },
  { name: 'due within five working days, as JSON', argv: ['due', '--within', '5wd', '--json'], command: 'due', want: { ...DUE, within: '5wd', json: true } },
  { name: 'check a project, as JSON', argv: ['check', 'voeux-2027', '--json'], command: 'check', want: { ...CHECK, project: 'voeux-2027', json: true } },
  { name: 'check the project of the branch', argv: ['check', '--from-branch'], command: 'check', want: { ...CHECK, fromBranch: true } },
  { name: 'check with acknowledgements', argv: ['check', 'promo', '--acks', '--json'], command: 'check', want: { ...CHECK, project: 'promo', json: true, acks: true } },
  { name: 'read the replies mailbox', argv: ['acks'], command: 'acks', want: { ...COMMON, project: undefined, json: false } },
  { name: 'read the replies to a project, as JSON', argv: ['acks', 'promo', '--json'], command: 'acks', want: { ...COMMON, project: 'promo', json: true } },
  { name: 'a manual acknowledgement', argv: ['ack', 'promo', 'conseillers', '--note', 'by phone'], command: 'ack', want: { ...COMMON, project: 'promo', who: 'conseillers', note: 'by phone' } },
  { name: 'remind', argv: ['remind', 'promo'], command: 'remind', want: { ...COMMON, project: 'promo', yes: false, dryRun: false, transport: undefined } },
  { name: 'remind for CI', argv: ['remind', 'promo', '--yes', '--dry-run', '--transport', 'file'], command: 'remind', want: { ...COMMON, project: 'promo', yes: true, dryRun: true, transport: 'file' } },
  { name: 'status of everything', argv: ['status'], command: 'status', want: STATUS },
  { name: 'status of a project, as JSON', argv: ['status', 'voeux-2027', '--json'], command: 'status', want: { ...STATUS, project: 'voeux-2027', json: true } },
  { name: 'the whole log', argv: ['log'], command: 'log', want: LOG },
  { name: 'the log of a project, as JSON', argv: ['log', 'voeux-2027', '--json'], command: 'log', want: { ...LOG, project: 'voeux-2027', json: true } },
  { name: 'verify another log file', argv: ['--log', 'artifacts/log.jsonl', 'log', '--verify'], command: 'log', want: { ...LOG, log: 'artifacts/log.jsonl', verify: true } },
  { name: 'plan a project', argv: ['plan', 'voeux-2027'], command: 'plan', want: { ...PLAN, project: 'voeux-2027' } },
  {
    name: 'plan with answers, replacing the plan',
    argv: ['plan', 'promo-ete', '--action', 'pricing', '--since', 'main', '--summary', 'Summer prices', '--yes'],
    command: 'plan',
    want: { ...PLAN, project: 'promo-ete', actions: ['pricing'], since: 'main', summary: 'Summer prices', yes: true },
  },
  { name: 'plan from the branch name', argv: ['plan', '--from-branch', '--since', 'main'], command: 'plan', want: { ...PLAN, fromBranch: true, since: 'main' } },
  { name: 'report as Markdown by default', argv: ['report', 'voeux-2027'], command: 'report', want: REPORT },
  { name: 'report as CSV', argv: ['report', 'voeux-2027', '-f', 'csv'], command: 'report', want: { ...REPORT, format: 'csv' } },
  { name: 'report as JSON', argv: ['report', 'voeux-2027', '--format', 'json'], command: 'report', want: { ...REPORT, format: 'json' } },
  { name: 'init, asking', argv: ['init'], command: 'init', want: INIT },
  { name: 'init a starter map elsewhere, replacing one', argv: ['init', '--config', 'ops/notify.yaml', '--yes', '--force', '--schema', './notify.schema.json'], command: 'init', want: { ...INIT, config: 'ops/notify.yaml', yes: true, force: true, schema: './notify.schema.json' } },
  { name: 'validate', argv: ['validate'], command: 'validate', want: VALIDATE },
  { name: 'validate as JSON', argv: ['validate', '--json'], command: 'validate', want: { ...VALIDATE, json: true } },
  { name: 'schema', argv: ['schema'], command: 'schema', want: SCHEMA },
  { name: 'where the schema is', argv: ['schema', '--path'], command: 'schema', want: { ...SCHEMA, path: true } },
  { name: 'refresh the copy of the schema', argv: ['schema', '--write'], command: 'schema', want: { ...SCHEMA, write: true } },
  { name: 'completion script', argv: ['completion', 'zsh'], command: 'completion', want: { ...COMMON, shell: 'zsh' } },
  { name: 'completion of no words', argv: ['__complete'], command: '__complete', want: { ...COMMON, words: [], program: expect.any(Command) } },
  { name: 'completion of the words typed, flags included', argv: ['__complete', '--', 'close', '--action', ''], command: '__complete', want: { ...COMMON, words: ['close', '--action', ''], program: expect.any(Command) } },
  { name: 'preview a project', argv: ['preview', 'voeux-2027'], command: 'preview', want: PREVIEW },
  { name: 'preview into a folder, and open it', argv: ['preview', 'voeux-2027', '--out', 'preview/', '--open'], command: 'preview', want: { ...PREVIEW, out: 'preview/', open: true } },
  {
    name: 'preview with answers, at a date, as JSON',
    argv: ['preview', 'promo-ete', '--action', 'pricing', '-m', 'Summer prices', '--date', '2027-06-01', '--json'],
    command: 'preview',
    want: { ...PREVIEW, project: 'promo-ete', actions: ['pricing'], summary: 'Summer prices', date: '2027-06-01', json: true },
  },
  { name: 'preview, sent to oneself', argv: ['preview', 'voeux-2027', '--send-to', 'me@x.test', '--effective', '2027-01-04'], command: 'preview', want: { ...PREVIEW, sendTo: 'me@x.test', effective: '2027-01-04' } },
];

describe('flags -> options', () => {
  it.each(TABLE)('$name', async ({ argv, command, want }) => {
    const got = await parse(argv);
    expect(got.command).toBe(command);
    expect(got.options).toStrictEqual(want);
  });

  it('a repeatable flag starts empty in every run: one run never leaks into the next', async () => {
    expect((await parse(['close', 'voeux-2027', '-a', 'pricing', '--mark-sent', 'a@x.test=phoned'])).options).toMatchObject({ actions: ['pricing'], markSent: ['a@x.test=phoned'] });
    expect((await parse(['close', 'voeux-2027'])).options).toMatchObject({ actions: [], markSent: [] });
  });

  it('covers every command', () => {
    const program = buildProgram(() => fakeContext(tempDir()), () => undefined);
    const names = program.commands.map((c: Command) => c.name());
    expect(new Set(TABLE.map((row) => row.command))).toEqual(new Set(names));
  });
});

describe('flags the program refuses before any command runs', () => {
  it.each([
    { argv: ['close', 'voeux-2027', '--concurrency', '0'], message: '--concurrency must be a positive whole number' },
    { argv: ['close', 'voeux-2027', '--concurrency', '2.5'], message: '--concurrency must be a positive whole number' },
    { argv: ['close', 'voeux-2027', '--transport', 'pigeon'], message: '--transport must be one of smtp, sendmail, file' },
    { argv: ['report', 'voeux-2027', '--format', 'pdf'], message: '--format must be one of md, csv, json' },
    { argv: ['report'], message: "missing required argument 'project'" },
    { argv: ['close', 'voeux-2027', '--dryrun'], message: "unknown option '--dryrun'" },
  ])('$argv', async ({ argv, message }) => {
    const err = await parse(argv).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).message).toContain(message);
  });
});
