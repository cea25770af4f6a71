/**
 * A typo in a project id never mails anyone: every command that takes a project refuses an id
 * that the map, the plans and the log do not know (exit 2, with the id it probably meant), and
 * close, plan and preview start a new ad-hoc project only when --title says so. Against the real
 * program, a real loopback SMTP server and real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { readLogEvents, runNotify, spawnNotify, tempDir, writeMap } from '../helpers/workspace.js';

const MAP = `version: 1
organization: Maison Test
from: "Projets <projets@maison.test>"
locale: en
actions:
  email-clients: { description: "E-mail sent to customers" }
  pricing: { description: "Change of price" }
parties:
  customer-service:
    name: Customer service
    contacts: ["Marie <marie@maison.test>", "conseillers@maison.test", "Paul <paul@maison.test>"]
    affected_by: [email-clients]
  marketing:
    name: Marketing
    contacts: ["marketing@maison.test"]
    affected_by: [email-clients, pricing]
  direction:
    name: Direction
    contacts: ["dg@maison.test"]
    always: true
projects:
  voeux-2027:
    title: "Carte de vœux 2027"
    owner: "Jean <jean@maison.test>"
    actions: [email-clients]
  newsletter-printemps-2027-relance:
    title: "Relance de la newsletter de printemps"
    actions: [email-clients]
`;

const EVERYONE = ['conseillers@maison.test', 'dg@maison.test', 'marie@maison.test', 'marketing@maison.test', 'paul@maison.test'];
const TYPO = 'voeux-2072';
const DID_YOU_MEAN = 'notify: unknown project "voeux-2072" (did you mean "voeux-2027"?)';

/** Each command that takes a project, with the typo, and the flags a real run of it would carry. */
const COMMANDS: [string, string[]][] = [
  ['close', ['close', TYPO, '--action', 'email-clients', '-m', 'test', '--yes']],
  ['plan', ['plan', TYPO, '--action', 'email-clients', '-m', 'test', '--yes']],
  ['preview', ['preview', TYPO, '--action', 'email-clients', '-m', 'test']],
  ['status', ['status', TYPO]],
  ['log', ['log', TYPO]],
  ['report', ['report', TYPO]],
  ['check', ['check', TYPO]],
  ['stakeholders', ['stakeholders', TYPO]],
];
const AD_HOC = new Set(['close', 'plan', 'preview']);

let smtp: TestSmtp;
let dir: string;
const run = (args: string[], env: Record<string, string> = {}) => runNotify(args, { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url, ...env } });
const logFile = () => path.join(dir, '.notify', 'log.jsonl');
const plansDir = () => path.join(dir, '.notify', 'plans');
const received = () => smtp.received.flatMap((m) => m.to).sort();

beforeEach(async () => {
  dir = tempDir();
  writeMap(dir, MAP);
  smtp = await startSmtp();
});
afterEach(async () => {
  await smtp.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('an unknown project id: exit 2, did you mean, nothing sent or written', () => {
  it.each(COMMANDS)('%s', async (name, args) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(DID_YOU_MEAN);
    expect(lines).toHaveLength(2);
    if (AD_HOC.has(name)) expect(lines[1]).toBe(`  the map, .notify/plans and the log do not know it; to start a new ad-hoc project, give its title: notify ${name} ${TYPO} --title "Project title"`);
    else expect(lines[1]).toBe('  the map, .notify/plans and the log do not know it; notify status lists the known projects');
    expect(smtp.received).toEqual([]);
    expect(fs.existsSync(logFile())).toBe(false);
    expect(fs.existsSync(plansDir())).toBe(false);
  });

  it.each(COMMANDS)('%s, with a log of other projects: the log is left byte for byte as it was', async (name, args) => {
    expect((await run(['close', 'voeux-2027', '-m', 'Cartes envoyées', '--yes'])).code).toBe(0);
    expect(received()).toEqual(EVERYONE);
    const before = fs.readFileSync(logFile());
    smtp.received.length = 0;
    const r = await run(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(DID_YOU_MEAN);
    expect(smtp.received).toEqual([]);
    expect(fs.readFileSync(logFile()).equals(before)).toBe(true);
    expect(fs.existsSync(plansDir()), name).toBe(false);
  });

  it('the issue\'s own case, through the built binary: close voeux-2072 mails nobody', async () => {
    const r = await spawnNotify(['close', TYPO, '--action', 'email-clients', '-m', 'test', '--yes'], { cwd: dir, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(DID_YOU_MEAN);
    expect(r.stderr).toContain('--title');
    expect(smtp.received).toEqual([]);
    expect(fs.existsSync(logFile())).toBe(false);
    expect(fs.existsSync(plansDir())).toBe(false);
  });

  it('finds a long hyphenated id with one character dropped, doubled or swapped', async () => {
    for (const typo of ['newsletter-printemps-2027-relace', 'newsletter-printemps-20277-relance', 'newsletter-printemps-2027-rleance']) {
      const r = await run(['close', typo, '-m', 'test', '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`notify: unknown project "${typo}" (did you mean "newsletter-printemps-2027-relance"?)`);
    }
    expect(smtp.received).toEqual([]);
  });

  it('suggests nothing when no known id is near', async () => {
    const r = await run(['close', 'intranet', '--action', 'pricing', '-m', 'test', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('notify: unknown project "intranet"');
    expect(smtp.received).toEqual([]);
  });

  it('an interactive close is refused just the same, before any question', async () => {
    const r = await runNotify(['close', TYPO], { cwd: dir, interactive: true, env: { NOTIFY_SMTP_URL: smtp.url } });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(DID_YOU_MEAN);
    expect(smtp.received).toEqual([]);
  });

  it('suggests ids known only from the log or only from a plan', async () => {
    expect((await run(['close', 'intranet-2027', '--title', 'New intranet', '--action', 'pricing', '-m', 'Live', '--yes'])).code).toBe(0);
    expect((await run(['plan', 'hotfix-42', '--title', 'Hotfix', '--action', 'pricing', '-m', 'Prices fixed'])).code).toBe(0);
    smtp.received.length = 0;
    const fromLog = await run(['status', 'intranet-2072']);
    expect(fromLog.code).toBe(2);
    expect(fromLog.stderr.split('\n')[0]).toBe('notify: unknown project "intranet-2072" (did you mean "intranet-2027"?)');
    const fromPlan = await run(['close', 'hotfx-42', '--yes']);
    expect(fromPlan.code).toBe(2);
    expect(fromPlan.stderr.split('\n')[0]).toBe('notify: unknown project "hotfx-42" (did you mean "hotfix-42"?)');
    expect(smtp.received).toEqual([]);
  });

  it('--from-branch goes through the same rule: a branch named after a typo sends nothing', async () => {
    const env = { GITHUB_HEAD_REF: `release/${TYPO}` };
    for (const args of [['close', '--from-branch', '--action', 'email-clients', '-m', 'test', '--yes'], ['plan', '--from-branch', '-m', 'test', '--yes'], ['check', '--from-branch']]) {
      const r = await run(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`Project ${TYPO}, from the branch name.\n${DID_YOU_MEAN}\n`);
      expect(r.stderr).toContain('the branch name gives this id');
      if (args[0] !== 'check') expect(r.stderr).toContain(`notify ${args[0]} --from-branch --title "Project title"`);
    }
    expect(smtp.received).toEqual([]);
    expect(fs.existsSync(logFile())).toBe(false);
    expect(fs.existsSync(plansDir())).toBe(false);
    // With --title, the branch starts an ad-hoc project.
    const r = await run(['close', '--from-branch', '--title', 'Vœux 2072', '--action', 'pricing', '-m', 'test', '--yes'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(received()).toEqual(['dg@maison.test', 'marketing@maison.test']);
  });

  it('an empty --title is not a title', async () => {
    const r = await run(['close', TYPO, '--title', '  ', '--action', 'pricing', '-m', 'test', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--title is empty: a new ad-hoc project "${TYPO}" needs a title`);
    expect(smtp.received).toEqual([]);
  });
});

describe('--title starts an ad-hoc project', () => {
  it('close <unknown> --title sends, records the title, and the project is known from then on', async () => {
    const r = await run(['close', 'intranet', '--title', 'The new intranet', '--action', 'pricing', '-m', 'The intranet is live', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(received()).toEqual(['dg@maison.test', 'marketing@maison.test']);
    expect(smtp.received[0].subject).toBe('[Maison Test] The intranet is live');
    expect(readLogEvents(dir)[0]).toMatchObject({ event: 'close.planned', project: 'intranet', title: 'The new intranet' });

    // Known from the log now: every command takes it without --title.
    smtp.received.length = 0;
    const again = await run(['close', 'intranet', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('intranet was closed on');
    for (const args of [['status', 'intranet', '--json'], ['log', 'intranet', '--json'], ['report', 'intranet', '--format', 'json'], ['check', 'intranet', '--json'], ['preview', 'intranet', '--json'], ['stakeholders', 'intranet', '--json']]) {
      const k = await run(args);
      expect(k.code, `${args.join(' ')}: ${k.stderr}`).toBe(0);
      expect(k.stderr).not.toContain('unknown project');
    }
    expect(smtp.received).toEqual([]);
  });

  it('preview and plan of an unknown id with --title work ad hoc; the plan makes the id known', async () => {
    const preview = await run(['preview', 'intranet', '--title', 'The new intranet', '--action', 'pricing', '-m', 'Live', '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(JSON.parse(preview.stdout).messages.map((m: { to: string }) => m.to).sort()).toEqual(['dg@maison.test', 'marketing@maison.test']);
    expect(fs.existsSync(logFile())).toBe(false);
    expect(fs.existsSync(plansDir())).toBe(false);

    const plan = await run(['plan', 'intranet', '--title', 'The new intranet', '--action', 'pricing', '-m', 'Live']);
    expect(plan.code, plan.stderr).toBe(0);
    // Known from its plan alone: no --title needed, and the close sends what the plan decided.
    for (const args of [['status', 'intranet'], ['check', 'intranet'], ['stakeholders', 'intranet', '--json'], ['preview', 'intranet']]) {
      const k = await run(args);
      expect(k.stderr, args.join(' ')).not.toContain('unknown project');
    }
    const stakeholders = await run(['stakeholders', 'intranet', '--json']);
    expect(JSON.parse(stakeholders.stdout).map((p: { id: string }) => p.id)).toEqual(['marketing', 'direction']);
    const close = await run(['close', 'intranet', '--yes']);
    expect(close.code, close.stderr).toBe(0);
    expect(received()).toEqual(['dg@maison.test', 'marketing@maison.test']);
  });

  it('a project of the map needs no --title', async () => {
    const r = await run(['close', 'voeux-2027', '-m', 'Cartes envoyées', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(received()).toEqual(EVERYONE);
  });
});
