import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runNotify, writeMap } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();

const HEAD = 'version: 1\nfrom: "Projects <projects@acme.test>"\n';

/** Line numbers are asserted: keep this map's layout as it is. */
const WARNED = `${HEAD}actions:
  pricing: { description: "Change of price" }
  store-ops: { description: "Opening hours" }
parties:
  support:
    name: Support
    contacts: ["Marie <marie@acme.test>", "team@acme.test"]
    affected_by: [pricing]
  sales:
    name: Sales
    contacts: ["marie@acme.test", "team@acme.test"]
    affected_by: [pricing]
  legal:
    name: Legal
    contacts: ["legal@acme.test"]
  boss:
    contacts: ["boss@acme.test", "Boss@acme.test"]
    always: true
`;

async function validate(yaml: string, args: string[] = []) {
  const dir = tempDir();
  writeMap(dir, yaml);
  const r = await runNotify(['validate', ...args], { cwd: dir });
  return { ...r, dir };
}

describe('notify validate', () => {
  it('exits 0 on the example maps, saying what it checked', async () => {
    for (const ex of ['assurance', 'retail']) {
      const r = await validate(fs.readFileSync(path.join(ROOT, 'examples', ex, 'notify.yaml'), 'utf8'));
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^✔ notify\.yaml: no problems \(5 parties, 3 actions, 1 project\)\n$/);
    }
  });

  it('warns, with file:line:col, of a party never selected, an action selecting nobody, a person in two parties, a shared list and a repeated contact: exit 1', async () => {
    const r = await validate(WARNED);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^notify\.yaml:5:3: warning: action "store-ops" selects nobody/),
      expect.stringMatching(/^notify\.yaml:13:16: warning: contact marie@acme\.test is in both "support" \(line 9\) and "sales"/),
      expect.stringMatching(/^notify\.yaml:13:35: warning: distribution list team@acme\.test is the contact of both "support" \(line 9\) and "sales"/),
      expect.stringMatching(/^notify\.yaml:15:3: warning: party "legal" is never selected.*add affected_by: \[pricing\]/),
      expect.stringMatching(/^notify\.yaml:19:34: warning: contact boss@acme\.test is listed twice in party "boss"/),
    ]);
    expect(r.stderr).toContain('notify.yaml: 0 errors, 5 warnings');
  });

  it('prints the same findings as JSON, field by field, and nothing else on stdout', async () => {
    const r = await validate(WARNED, ['--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ file: 'notify.yaml', valid: true, readable: true, errors: 0, warnings: 5, counts: { parties: 4, actions: 2, projects: 0, plans: 0 } });
    expect(out.findings[0]).toEqual({ file: 'notify.yaml', line: 5, col: 3, severity: 'warning', message: expect.stringContaining('"store-ops" selects nobody') });
  });

  it('does not warn of a party that a project names or that has paths', async () => {
    const r = await validate(`${HEAD}parties:\n  legal:\n    contacts: ["legal@acme.test"]\n  infra:\n    contacts: ["infra@acme.test"]\n    paths: ["deploy/**"]\nprojects:\n  p1:\n    owner: "Jo <jo@acme.test>"\n    parties: [legal]\n`);
    expect(r.code, r.stdout).toBe(0);
  });

  it('reports every error of the map with its position, exit 1', async () => {
    const r = await validate(`${HEAD}parties:\n  sales:\n    contacts: ["a@x.com, b@y.com"]\n    afected_by: []\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^notify\.yaml:5:16: party "sales" contact .* holds more than one address/m);
    expect(r.stdout).toMatch(/^notify\.yaml:6:5: unknown key "afected_by" in party "sales" \(did you mean "affected_by"\?\)/m);
    expect(r.stderr).toContain('2 errors, 0 warnings');
    expect(JSON.parse((await validate(`${HEAD}parties:\n  sales:\n    contacts: []\n`, ['--json'])).stdout)).toMatchObject({ valid: false, errors: 1 });
  });

  it('checks the templates a close would use: a locale nothing ships and a missing template file are errors at the map line', async () => {
    const r = await validate(`${HEAD}parties:\n  sales:\n    contacts: ["s@acme.test"]\n    always: true\n    locale: de\n  legal:\n    contacts: ["l@acme.test"]\n    always: true\n    template: mail/legal.md\n`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^notify\.yaml:7:13: party "sales" locale "de" has no shipped template \(shipped: .*en.*fr/m);
    expect(r.stdout).toMatch(/^notify\.yaml:11:15: party "legal" template "mail\/legal\.md" not found/m);
  });

  it('reports a broken template at the template file line', async () => {
    const dir = tempDir();
    writeMap(dir, `${HEAD}parties:\n  legal:\n    contacts: ["l@acme.test"]\n    always: true\n    template: legal.md\n`);
    fs.writeFileSync(path.join(dir, 'legal.md'), '---\nsubject: "Done"\n---\nHello {{recipient.nmae}}\n\n{{sumary}}\n');
    const r = await runNotify(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^legal\.md:6:\d+: template uses unknown variable "sumary"/m);
  });

  it('checks the plans beside the map, with the plan file:line', async () => {
    const dir = tempDir();
    writeMap(dir, `${HEAD}actions:\n  pricing:\nparties:\n  sales:\n    contacts: ["s@acme.test"]\n    affected_by: [pricing]\n`);
    fs.mkdirSync(path.join(dir, '.notify', 'plans'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.notify', 'plans', 'promo.md'), '---\nproject: promo\nactions: [pricng]\nparties: [sales]\nsummary: "Summer prices"\n---\n');
    const r = await runNotify(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${path.join('.notify', 'plans', 'promo.md').replace(/\./g, '\\.')}:3:\\d+: unknown action "pricng" \\(did you mean "pricing"\\?\\)`, 'm'));
    fs.writeFileSync(path.join(dir, '.notify', 'plans', 'promo.md'), '---\nproject: promo\nactions: [pricing]\nparties: [sales]\nsummary: "Summer prices"\n---\n');
    const ok = await runNotify(['validate', '--json'], { cwd: dir });
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout).counts.plans).toBe(1);
  });

  it('exits 2 when the map is not YAML at all, or there is none', async () => {
    const bad = await validate(`${HEAD}parties:\n  sales:\n\tcontacts: []\n`);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^notify\.yaml:5:1: YAML: /m);
    expect(bad.stderr).toContain('cannot be read as YAML');
    const none = await runNotify(['validate'], { cwd: tempDir() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no notify.yaml found');
  });
});
