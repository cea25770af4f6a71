import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parse } from 'yaml';
import { parseTemplateFile } from '../../src/adapters/mail/templates.js';
import { PROMO_RECIPIENTS, workspaceForEach } from '../fixtures/close-workspace.js';
import { spawnNotify } from '../helpers/workspace.js';

const REPORT = { NODE_OPTIONS: `--import ${path.join(import.meta.dirname, 'report-yaml-loaded.mjs')}` };

describe('what a close loads', () => {
  const ws = workspaceForEach();

  it('with the map cache warm and no plan file, a close never loads the yaml package', async () => {
    const first = await spawnNotify(['stakeholders', '--json'], { cwd: ws.dir, env: REPORT });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain('[yaml loaded]'); // the cold start parsed the map: the report works
    const close = await spawnNotify(['close', 'promo', '--summary', 'Summer prices', '--yes'], { cwd: ws.dir, env: { ...REPORT, NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(close.exitCode, close.stderr).toBe(0);
    expect(ws.smtp.received.map((m) => m.to[0]).sort()).toEqual([...PROMO_RECIPIENTS].sort());
    expect(close.stderr).not.toContain('[yaml loaded]');
  });
});

describe('template front matter', () => {
  it('reads a plain quoted subject exactly as YAML does, and leaves anything else to YAML', () => {
    const fronts = [
      'subject: "{{#if organization}}[{{organization}}] {{/if}}Done: {{project.title}} — for {{party_names}}"',
      'subject: "Prix # pas un commentaire"  ',
      'subject: "tab\\there, \\"quoted\\""',
      "subject: 'single ''quoted'''",
      'subject: plain words',
      'subject: "x" # a comment',
    ];
    for (const front of fronts) {
      const t = parseTemplateFile(`---\n${front}\n---\nBody\n`, 'custom.md');
      expect(t.subject, front).toBe((parse(front) as { subject: string }).subject);
      expect(t.subjectLine).toBe(2);
      expect(t.body).toBe('Body\n');
    }
  });
});
