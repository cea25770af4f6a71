import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMap } from '../../src/config/parse-map.js';
import type { Decisions } from '../../src/domain/deliveries.js';
import { parsePlan } from '../../src/app/plan-files/read.js';
import { renderPlan } from '../../src/app/plan-files/write.js';
import { reasonsFromPaths } from '../../src/app/plan-files/paths.js';
import { RELEASE_MAP } from './repo.js';

const map = parseMap(RELEASE_MAP, '/repo/notify.yaml', 'notify.yaml').map!;
const read = (text: string) => parsePlan(text, '/repo/.notify/plans/spring.md', '.notify/plans/spring.md', map, 'spring');

// One line of text with the characters YAML treats specially at the start, middle or end.
const tricky = fc.stringMatching(/^[ -~éœ—]{0,40}$/).map((s) => s.trim()).filter((s) => s.length > 0);

describe('plan files', () => {
  it('render then read gives back the same decisions, whatever the text', () => {
    fc.assert(
      fc.property(tricky, tricky, fc.option(tricky, { nil: undefined }), fc.option(fc.string({ maxLength: 200 }), { nil: undefined }), (summary, reason, title, details) => {
        const d: Decisions = { project: 'spring', title, actions: ['customer-email'], parties: ['ops', 'board'], skipped: [{ party: 'support', reason }], summary, details: details?.trim() || undefined, decidedBy: 'ann' };
        const { plan, diagnostics } = read(renderPlan(d, new Map([['ops', ['changed: a.tf # not a comment']]])));
        expect(diagnostics).toEqual([]);
        expect(plan!.decisions).toEqual(d);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps YAML look-alikes as text: numbers, booleans, null, dashes', () => {
    for (const summary of ['2027', 'true', 'null', '- a list?', '#hashtag', 'a: b', '"quoted"', "it's", '---']) {
      const d: Decisions = { project: 'spring', actions: [], parties: ['support', 'board'], skipped: [], summary };
      expect(read(renderPlan(d)).plan?.decisions.summary, summary).toBe(summary);
    }
  });

  it('reports every problem of a plan at once, each at its line', () => {
    const text = ['---', 'project: spring', 'actions: [customer-email, nope]', 'parties: [board, ghost]', 'skipped:', '  - party: support', 'summary: ok', 'colour: red', '---', ''].join('\n');
    const { plan, diagnostics } = read(text);
    expect(plan).toBeUndefined();
    expect(diagnostics.map((x) => `${x.line}:${x.col}: ${x.message.split(';')[0]}`)).toEqual([
      '3:27: unknown action "nope"',
      '4:18: unknown party "ghost"',
      '6:5: each entry of skipped needs both party: and reason:',
      '8:1: unknown key "colour" in the plan',
    ]);
  });

  it('a body may hold --- lines and is the details, trimmed', () => {
    const d: Decisions = { project: 'spring', actions: [], parties: ['support', 'board'], skipped: [], summary: 'x', details: 'Intro\n\n---\n\nAfter a rule' };
    expect(read(renderPlan(d)).plan!.decisions.details).toBe('Intro\n\n---\n\nAfter a rule');
    expect(read(renderPlan({ ...d, details: undefined })).plan!.decisions.details).toBeUndefined();
  });

  it('matches paths: globs with globstar, slash-less patterns at any depth, and dot folders', () => {
    const r = reasonsFromPaths(map, ['src/billing/a/b/c.ts', 'lib/src/billing/x.ts', 'infra/main.tf', 'main.tf', 'deploy/.env', 'src/app.ts']);
    expect(Object.fromEntries(r)).toEqual({ billing: ['changed: src/billing/a/b/c.ts'], ops: ['changed: infra/main.tf, main.tf, deploy/.env'] });
  });

  it('reads globs the CODEOWNERS way: /anchored, dir/ for a whole folder, bare names at any depth', () => {
    const cases: [string, string, boolean][] = [
      ['*.tf', 'infra/a.tf', true],
      ['/*.tf', 'infra/a.tf', false],
      ['/*.tf', 'a.tf', true],
      ['docs/', 'docs/a/b.md', true],
      ['docs/', 'site/docs/b.md', true],
      ['/docs/', 'site/docs/b.md', false],
      ['src/billing/**', 'src/billing/a.ts', true],
      ['src/billing/**', 'lib/src/billing/a.ts', false],
      ['src/billing/', 'src/billing/a.ts', true],
      ['src/{billing,tax}/*.ts', 'src/tax/a.ts', true],
      ['**/migrations/**', 'db/migrations/001.sql', true],
    ];
    for (const [glob, file, expected] of cases) {
      const m = parseMap(RELEASE_MAP.replace('paths: ["src/billing/**"]', `paths: [${JSON.stringify(glob)}]`), '/r/notify.yaml', 'notify.yaml').map!;
      expect(reasonsFromPaths(m, [file]).has('billing'), `${glob} vs ${file}`).toBe(expected);
    }
  });
});
