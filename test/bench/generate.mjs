/** Data for the benchmark: a big stakeholder map and a big log, written to a directory. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ACTION = 'all-stores';

export const address = (party, contact) => `contact${contact}.store${party}@stores.example`;
const partyId = (i) => `store-${String(i).padStart(4, '0')}`;

/** A map of `parties` stores with `contacts` each, all affected by one action, and one project that involves it. */
export function writeMap(dir, parties, contacts = 10) {
  const out = [
    'version: 1',
    'organization: Bench Retail',
    'from: "Projects <projects@bench.example>"',
    'locale: en',
    'actions:',
    `  ${ACTION}: { description: "Anything that concerns every store" }`,
    'parties:',
  ];
  for (let i = 0; i < parties; i++) {
    out.push(`  ${partyId(i)}:`, `    name: "Store ${i}"`, `    contacts:`);
    for (let c = 0; c < contacts; c++) out.push(`      - "Manager ${c} <${address(i, c)}>"`);
    out.push(`    affected_by: [${ACTION}]`);
  }
  out.push(
    'projects:',
    '  price-update:',
    '    title: "Price update in every store"',
    `    actions: [${ACTION}]`,
    '    summary: "New shelf prices from Monday"',
  );
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'notify.yaml');
  fs.writeFileSync(file, `${out.join('\n')}\n`);
  return file;
}

/**
 * A map as big as a map may be (5 MB): `parties` stores of one contact each, about 80 bytes a
 * party (60,000 parties are 4.6 MB), all affected by one action.
 */
export function writeLargeMap(dir, parties) {
  const out = ['version: 1', 'from: "Projects <projects@bench.example>"', 'actions:', `  ${ACTION}:`, 'parties:'];
  for (let i = 0; i < parties; i++) out.push(`  s${i}:`, `    contacts: ["m@s${i}.example"]`, `    affected_by: [${ACTION}]`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'notify.yaml');
  fs.writeFileSync(file, `${out.join('\n')}\n`);
  return file;
}

/**
 * A log of `events` lines over `projects` projects, in the exact layout notify writes: each
 * project a close.planned, attempt + sent pairs, and (nine in ten) a project.closed.
 */
export function writeLog(file, { events, projects, parties }) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  const perProject = Math.floor(events / projects);
  let n = 0;
  let t = Date.UTC(2026, 0, 1);
  let chunk = [];
  const flush = () => {
    fs.writeSync(fd, chunk.join(''));
    chunk = [];
  };
  const line = (e) => {
    t += 250;
    const id = createHash('md5').update(String(n++)).digest('hex');
    const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20, 32)}`;
    chunk.push(`${JSON.stringify({ id: uuid, ts: new Date(t).toISOString(), ...e })}\n`);
    if (chunk.length >= 10_000) flush();
  };
  for (let p = 0; p < projects; p++) {
    const project = `project-${String(p).padStart(5, '0')}`;
    const closed = p % 10 !== 9;
    const pairs = Math.floor((perProject - 2) / 2);
    const partyCount = Math.ceil(pairs / 10);
    const first = (p * 7) % Math.max(1, parties - partyCount);
    const chosen = Array.from({ length: partyCount }, (_, i) => partyId(first + i));
    line({ event: 'close.planned', project, title: `Project ${p}`, actions: [ACTION], parties: chosen, skipped: [], summary: `Change number ${p} for the stores`, decided_by: 'bench' });
    for (let r = 0; r < pairs; r++) {
      const party = first + Math.floor(r / 10);
      const who = { project, recipient: address(party, r % 10), parties: [partyId(party)], message_id: `<notify.${project}.${r}@bench.example>` };
      line({ event: 'notification.attempt', ...who });
      // Open projects: the last recipient's result is missing (a crash mid-send).
      if (closed || r < pairs - 1) line({ event: 'notification.sent', ...who, response: `250 OK: message queued as ${p}.${r}`, via: 'smtp' });
    }
    if (closed) line({ event: 'project.closed', project, notified: chosen, skipped: [], recipients: pairs });
    while (n < (p + 1) * perProject) line({ event: 'party.skipped', project, party: 'nobody', reason: 'padding to an even count of events' });
  }
  flush();
  fs.closeSync(fd);
  return { lines: n, bytes: fs.statSync(file).size };
}
