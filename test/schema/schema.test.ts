import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ACK_KEYS, DURATION_KEYS, IMAP_KEYS, REPLIES_KEYS } from '../../src/config/parse-replies.js';
import { ACTION_KEYS, PARTY_KEYS, POOL_KEYS, PROJECT_KEYS, ROOT_KEYS, SMTP_KEYS, parseMap } from '../../src/config/parse-map.js';
import { TRANSPORT_KEYS, TRANSPORT_KINDS } from '../../src/config/parse-transport.js';
import { renderMap, STARTER } from '../../src/app/init/render-map.js';
import { SMALL_MAP } from '../fixtures/maps.js';
import { ROOT, runNotify } from '../helpers/workspace.js';
import { scratchDirs } from '../fixtures/scratch.js';

const tempDir = scratchDirs();

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/notify.schema.json'), 'utf8'));
const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
const check = ajv.compile(schema);

const schemaAccepts = (yaml: string) => check(parse(yaml, { version: '1.2', schema: 'core' }));
const toolAccepts = (yaml: string) => parseMap(yaml, '/maps/notify.yaml', 'notify.yaml').diagnostics.every((d) => d.severity !== 'error');
const keys = (o: { properties: object }) => Object.keys(o.properties).sort();

const HEAD = 'version: 1\nfrom: "Projects <projects@acme.test>"\n';
const PARTY = 'parties:\n  sales:\n    contacts: ["sales@acme.test"]\n';

/** A map with every key the tool knows, each with a valid value. */
const FULL = `version: 1
organization: Acme
from: "Projects <projects@acme.test>"
reply_to: "pm@acme.test"
locale: fr
timezone: Europe/Paris
log: .notify/log.jsonl
smtp:
  url: smtps://mail.acme.test:465
  user: notify-bot
  password_env: ACME_SMTP_PASSWORD
  require_tls: true
  pool: { max_connections: 3 }
  rate_per_second: 2.5
  timeout_seconds: 30
  retry_delays_seconds: [0, 60, 300]
transport: { kind: file, dir: .notify/outbox }
branch_pattern: "release/{project}"
actions:
  pricing: { description: "Change of price" }
  store-ops:
parties:
  sales:
    name: Sales
    contacts: ["Ana Lima <ana@acme.test>", "sales@acme.test"]
    affected_by: [pricing]
    locale: en
    template: templates/sales.md
    paths: ["pricing/**"]
    description: "The sales team"
    notice: { working_days: 2 }
    invite: true
  boss:
    contacts: ["boss@acme.test"]
    always: false
projects:
  promo:
    title: "Summer prices"
    owner: "Jo <jo@acme.test>"
    actions: [pricing]
    parties: [boss]
    template: templates/promo.md
    summary: "-20% on the summer range"
    notice: { sales: { days: 30 } }
    effective: "2027-07-01 08:00"
    audience: "Every customer"
    customers_will_see: "Red labels"
    what_to_say: "Yes, until 31 July"
    notes: { boss: "No action" }
    links: [{ title: "Offer", url: "https://acme.test/offer" }]
    details: "More *here*"
  ad-hoc:
calendar: { timezone: Europe/Paris, holidays: DE-BY, working_days: [mon, tue, wed, thu, fri] }
`;

/** Maps both the schema and the tool must refuse, each for one reason. */
const INVALID: [string, string][] = [
  ['unknown root key', `${HEAD}form: x\n${PARTY}`],
  ['missing from', `version: 1\n${PARTY}`],
  ['missing parties', HEAD],
  ['version 2', `version: 2\nfrom: "p@acme.test"\n${PARTY}`],
  ['two addresses in one contact', `${HEAD}parties:\n  sales:\n    contacts: ["A <a@x.com>, b@y.com"]\n`],
  ['a contact that is not an address', `${HEAD}parties:\n  sales:\n    contacts: ["sales at acme"]\n`],
  ['no contacts', `${HEAD}parties:\n  sales:\n    contacts: []\n`],
  ['a party without contacts', `${HEAD}parties:\n  sales:\n    name: Sales\n`],
  ['a party id with capitals', `${HEAD}parties:\n  Bad_Id:\n    contacts: ["s@acme.test"]\n`],
  ['a reserved party id', `${HEAD}parties:\n  constructor:\n    contacts: ["s@acme.test"]\n`],
  ['a project id with a space', `${HEAD}${PARTY}projects:\n  Voeux 2027:\n    title: x\n`],
  ['always as a string', `${HEAD}parties:\n  sales:\n    contacts: ["s@acme.test"]\n    always: "yes"\n`],
  ['a misspelt party key', `${HEAD}parties:\n  sales:\n    contacts: ["s@acme.test"]\n    afected_by: []\n`],
  ['a locale that is not a code', `${HEAD}locale: french\n${PARTY}`],
  ['credentials in smtp.url', `${HEAD}smtp:\n  url: smtp://user:pw@mail.acme.test:587\n${PARTY}`],
  ['two password settings', `${HEAD}smtp:\n  password_env: X\n  password_file: pw.txt\n${PARTY}`],
  ['a password instead of a variable name', `${HEAD}smtp:\n  password_env: "hunter2!"\n${PARTY}`],
  ['a retry delay over an hour', `${HEAD}smtp:\n  retry_delays_seconds: [60, 7200]\n${PARTY}`],
  ['max_connections 0', `${HEAD}smtp:\n  max_connections: 0\n${PARTY}`],
  ['pool.max_connections 0', `${HEAD}smtp:\n  pool: { max_connections: 0 }\n${PARTY}`],
  ['a misspelt pool key', `${HEAD}smtp:\n  pool: { max_conections: 3 }\n${PARTY}`],
  ['a transport without kind', `${HEAD}transport: { dir: out }\n${PARTY}`],
  ['an unknown transport kind', `${HEAD}transport: { kind: pigeon }\n${PARTY}`],
  ['branch_pattern without {project}', `${HEAD}branch_pattern: "release/x"\n${PARTY}`],
  ['a title on two lines', `${HEAD}${PARTY}projects:\n  p1:\n    title: "a\\nb"\n`],
  ['an empty organization', `${HEAD}organization: ""\n${PARTY}`],
  ['an action with an unknown key', `${HEAD}actions:\n  pricing: { descr: x }\n${PARTY}`],
  ['a notice with two units', `${HEAD}parties:\n  sales:\n    contacts: ["s@acme.test"]\n    notice: { days: 2, hours: 3 }\n`],
  ['a notice in weeks', `${HEAD}parties:\n  sales:\n    contacts: ["s@acme.test"]\n    notice: { weeks: 2 }\n`],
  ['a notice of half a day', `${HEAD}parties:\n  sales:\n    contacts: ["s@acme.test"]\n    notice: { days: 0.5 }\n`],
  ['invite as a string', `${HEAD}parties:\n  sales:\n    contacts: ["s@acme.test"]\n    invite: "yes"\n`],
  ['a working day that is not a day', `${HEAD}calendar: { working_days: [mon, fri, funday] }\n${PARTY}`],
  ['holidays that are not a country code', `${HEAD}calendar: { holidays: France }\n${PARTY}`],
  ['an effective date that is not a date', `${HEAD}${PARTY}projects:\n  p1:\n    effective: "next week"\n`],
  ['a link without a url', `${HEAD}${PARTY}projects:\n  p1:\n    links: [{ title: FAQ }]\n`],
  ['a link to a javascript: url', `${HEAD}${PARTY}projects:\n  p1:\n    links: [{ title: FAQ, url: "javascript:alert(1)" }]\n`],
  ['a note that is not text', `${HEAD}${PARTY}projects:\n  p1:\n    notes: { sales: [a, b] }\n`],
];

/** Problems only the tool can see: references between parts of the map, and paths on disk. */
const TOOL_ONLY: [string, string][] = [
  ['an unknown action in affected_by', `${HEAD}actions:\n  pricing:\nparties:\n  sales:\n    contacts: ["s@acme.test"]\n    affected_by: [pricng]\n`],
  ['an unknown party named by a project', `${HEAD}${PARTY}projects:\n  p1:\n    parties: [sale]\n`],
  ['a note for an unknown party', `${HEAD}${PARTY}projects:\n  p1:\n    notes: { sale: "x" }\n`],
  ['a day that is not in the calendar', `${HEAD}${PARTY}projects:\n  p1:\n    effective: 2027-02-30\n`],
  ['an unknown time zone', `${HEAD}timezone: Mars/Olympus\n${PARTY}`],
  ['a log outside the map folder', `${HEAD}log: ../outside.jsonl\n${PARTY}`],
  ['a time zone Intl does not know', `${HEAD}calendar: { timezone: Europe/Pariss }\n${PARTY}`],
  ['a project notice for an unknown party', `${HEAD}${PARTY}projects:\n  p1:\n    notice: { sale: { days: 2 } }\n`],
  ['max_connections both under smtp and smtp.pool', `${HEAD}smtp:\n  max_connections: 2\n  pool: { max_connections: 3 }\n${PARTY}`],
];

describe('the JSON Schema of the map', () => {
  it('is a valid draft-07 schema under ajv strict mode', () => {
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it('names exactly the keys the tool accepts, at every level', () => {
    expect(keys(schema)).toEqual([...ROOT_KEYS].sort());
    expect(keys(schema.definitions.smtp)).toEqual([...SMTP_KEYS].sort());
    expect(keys(schema.definitions.pool)).toEqual([...POOL_KEYS].sort());
    expect(keys(schema.definitions.party)).toEqual([...PARTY_KEYS].sort());
    expect(keys(schema.definitions.project)).toEqual([...PROJECT_KEYS].sort());
    expect(keys(schema.definitions.action)).toEqual([...ACTION_KEYS].sort());
    expect(keys(schema.definitions.transport)).toEqual([...TRANSPORT_KEYS].sort());
    expect(keys(schema.definitions.replies)).toEqual([...REPLIES_KEYS].sort());
    expect(keys(schema.definitions.replies.properties.imap)).toEqual([...IMAP_KEYS].sort());
    expect(keys(schema.definitions.ack)).toEqual([...ACK_KEYS].sort());
    expect(keys(schema.definitions.duration)).toEqual([...DURATION_KEYS].sort());
    expect([...schema.definitions.transport.properties.kind.enum].sort()).toEqual([...TRANSPORT_KINDS].sort());
  });

  const examples = fs.readdirSync(path.join(ROOT, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, 'examples', d.name, 'notify.yaml')));
  it('finds the example maps', () => expect(examples.length).toBeGreaterThanOrEqual(2));
  for (const ex of examples) {
    it(`accepts examples/${ex.name}/notify.yaml, which points at it`, () => {
      const text = fs.readFileSync(path.join(ROOT, 'examples', ex.name, 'notify.yaml'), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/notify.schema.json');
      expect(toolAccepts(text)).toBe(true);
      expect(schemaAccepts(text), ajv.errorsText(check.errors)).toBe(true);
    });
  }

  it('accepts the map notify init writes, a map with every key, and the test fixture map', () => {
    for (const text of [renderMap(STARTER, 'x.json'), FULL, SMALL_MAP]) {
      expect(toolAccepts(text)).toBe(true);
      expect(schemaAccepts(text), ajv.errorsText(check.errors)).toBe(true);
    }
  });

  for (const [why, text] of INVALID) {
    it(`rejects, as the tool does, ${why}`, () => {
      expect(toolAccepts(text)).toBe(false);
      expect(schemaAccepts(text)).toBe(false);
    });
  }

  it('leaves references and paths to the tool (notify validate), and says so', () => {
    for (const [why, text] of TOOL_ONLY) {
      expect(toolAccepts(text), why).toBe(false);
      expect(schemaAccepts(text), why).toBe(true);
    }
    expect(schema.description).toContain('notify validate');
  });

  it('is what notify schema prints', async () => {
    const r = await runNotify(['schema'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(schema);
    const p = await runNotify(['schema', '--path'], { cwd: tempDir() });
    expect(fs.realpathSync(p.stdout.trim())).toBe(fs.realpathSync(path.join(ROOT, 'schema/notify.schema.json')));
  });
});
