import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { composeMessage, type ComposeInput } from '../../src/adapters/mail/compose.js';
import { composeWorkers, workerComposer } from '../../src/adapters/mail/compose-pool.js';
import { workspaceForEach } from '../fixtures/close-workspace.js';
import { readLogEvents, ROOT, runNotify, spawnNotify } from '../helpers/workspace.js';

/** 15 parties of 10 contacts: over the size from which a close composes in a worker thread. */
function bigMap(): { yaml: string; recipients: string[] } {
  const recipients: string[] = [];
  const lines = ['version: 1', 'organization: Épicerie Réunie', 'from: "Projets <projets@epicerie.test>"', 'locale: fr', 'actions:', '  prix: { description: "Les prix changent" }', 'parties:'];
  for (let p = 0; p < 15; p++) {
    lines.push(`  magasin-${p}:`, `    name: "Magasin n°${p}"`, '    contacts:');
    for (let c = 0; c < 10; c++) {
      recipients.push(`gerant${c}.magasin${p}@epicerie.test`);
      lines.push(`      - "Gérant ${c} <gerant${c}.magasin${p}@epicerie.test>"`);
    }
    lines.push('    affected_by: [prix]');
  }
  lines.push('projects:', '  prix-lundi:', '    title: "Nouveaux prix — lundi"', '    actions: [prix]', '    summary: "Les étiquettes changent lundi"');
  return { yaml: `${lines.join('\n')}\n`, recipients };
}

const input = (i: number): ComposeInput => ({
  from: { name: 'Projets', address: 'projets@epicerie.test' },
  to: { name: `Gérant ${i}`, address: `gerant${i}@epicerie.test` },
  messageId: `<m${i}@epicerie.test>`,
  date: new Date('2027-01-05T09:00:00Z'),
  project: 'prix-lundi',
  parties: ['magasin-1'],
  rendered: { subject: `Nouveaux prix — ${i}`, text: `Bonjour Gérant ${i},\n\nLes prix changent.\n`, html: `<p>Bonjour Gérant ${i},</p>` },
});

/** The built worker script (the tests run the sources, whose worker would be a .ts file). */
// The worker the CLI starts: the bundled one (rolldown.config.mjs).
const WORKER = pathToFileURL(path.join(ROOT, 'dist', 'bundle', 'compose-worker.js'));
const FIVE = [0, 1, 2, 3, 4];

/** Messages 0 to 4 through a worker composer, once it says whether it is ready; closed after. */
async function composeFive(script: URL, ready: boolean): Promise<string[]> {
  const composer = workerComposer(script, 1);
  try {
    expect(await composer.ready).toBe(ready);
    return (await Promise.all(FIVE.map((i) => composer.compose(input(i))))).map((b) => b.toString('latin1'));
  } finally {
    composer.close();
  }
}

describe('composing in a worker thread', () => {
  const ws = workspaceForEach(() => bigMap().yaml);

  it('a large close sends every recipient once, the very bytes a preview composes inline', async () => {
    const { recipients } = bigMap();
    // The built binary, where the worker script sits beside the module that starts it.
    const close = await spawnNotify(['close', 'prix-lundi', '--yes'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(close.exitCode, close.stderr).toBe(0);
    expect(ws.smtp.received.map((m) => m.to[0]).sort()).toEqual([...recipients].sort());
    expect(readLogEvents(ws.dir).filter((e) => e.event === 'notification.sent')).toHaveLength(150);
    const preview = await runNotify(['preview', 'prix-lundi', '--out', 'out'], { cwd: ws.dir, env: { NOTIFY_SMTP_URL: ws.smtp.url } });
    expect(preview.code, preview.stderr).toBe(0);
    for (const m of ws.smtp.received) {
      const eml = fs.readFileSync(path.join(ws.dir, 'out', `${m.to[0]}.eml`));
      expect(eml.equals(Buffer.from(m.raw, 'utf8')), m.to[0]).toBe(true);
    }
  });

  it('gives the bytes of inline composing, and composes inline what a dying worker was given or a broken one never takes', async () => {
    const expected = (await Promise.all(FIVE.map((i) => composeMessage(input(i))))).map((b) => b.toString('latin1'));
    // Before it is ready, messages are composed inline; after, by the worker.
    expect(await composeFive(WORKER, true)).toEqual(expected);
    // Ready, then gone as soon as it is handed a batch: the batch is composed inline.
    const dying = path.join(ws.dir, 'dies.mjs');
    fs.writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage('ready');\nparentPort.on('message', () => process.exit(3));\n");
    expect(await composeFive(pathToFileURL(dying), true)).toEqual(expected);
    const broken = path.join(ws.dir, 'broken.mjs');
    fs.writeFileSync(broken, 'throw new Error("cannot load");\n');
    expect(await composeFive(pathToFileURL(broken), false)).toEqual(expected);
  });

  it('reports a message it cannot compose as that message failing, not the others', async () => {
    const composer = workerComposer(WORKER, 1);
    try {
      expect(await composer.ready).toBe(true);
      const bad = { ...input(1), rendered: { ...input(1).rendered, subject: 'two\nlines' } };
      const [ok, refused] = await Promise.allSettled([composer.compose(input(0)), composer.compose(bad)]);
      expect(ok.status).toBe('fulfilled');
      expect(refused.status === 'rejected' && String(refused.reason.message)).toMatch(/line break/);
    } finally {
      composer.close();
    }
  });

  it('spreads batches over several workers with the bytes of inline composing, and keeps two cores to the sends', async () => {
    const many = Array.from({ length: 100 }, (_, i) => i);
    const expected = (await Promise.all(many.map((i) => composeMessage(input(i))))).map((b) => b.toString('latin1'));
    const composer = workerComposer(WORKER, 3);
    try {
      expect(await composer.ready).toBe(true);
      expect((await Promise.all(many.map((i) => composer.compose(input(i))))).map((b) => b.toString('latin1'))).toEqual(expected);
    } finally {
      composer.close();
    }
    expect([2, 3, 4, 8, 64].map((cores) => composeWorkers(cores))).toEqual([0, 1, 2, 4, 4]);
    const none = workerComposer(WORKER, 0);
    expect(await none.ready).toBe(false);
    expect((await none.compose(input(7))).toString('latin1')).toBe(expected[7]);
  });
});
