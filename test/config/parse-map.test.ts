import { describe, expect, it } from 'vitest';
import { parseMap } from '../../src/config/parse-map.js';
import { mapFrom, problemsOf } from '../fixtures/maps.js';

const HEAD = 'version: 1\nfrom: "Projects <projects@acme.test>"\n';

describe('parseMap: every problem at once, each at file:line:col', () => {
  it('reports unknown keys, bad contacts, bad ids and unknown references together, each with its position', () => {
    const yaml = `version: 1
from: "P <p@x.com>"
form: x
actions:
  pricing: { description: "d" }
parties:
  sales:
    name: Sales
    contact: ["s@x.com"]
    afected_by: [pricng]
  support:
    name: Support
    contacts: ["a@x.com\\r\\nBcc: y@z.com", "A <a@x.com>, b@y.com"]
    affected_by: [pricng]
  Bad_Id:
    contacts: ["c@x.com"]
  __proto__:
    contacts: ["c@x.com"]
  constructor:
    contacts: ["c@x.com"]
  empty:
    name: Empty
    contacts: []
projects:
  Voeux 2027:
    actions: [pricing]
  p1:
    parties: [suport]
    actions: [pricng]
    title: "a\\nb"
log: ../outside.jsonl
`;
    expect(problemsOf(yaml).sort()).toEqual(
      [
        'notify.yaml:3:1: unknown key "form" in the map (did you mean "from"?)',
        'notify.yaml:9:5: unknown key "contact" in party "sales" (did you mean "contacts"?)',
        'notify.yaml:10:5: unknown key "afected_by" in party "sales" (did you mean "affected_by"?)',
        'notify.yaml:7:3: party "sales" has no contacts; add "contacts: [name@domain]"',
        'notify.yaml:13:16: party "support" contact "a@x.com\r\nBcc: y@z.com" contains a line break or control character',
        'notify.yaml:13:43: party "support" contact "A <a@x.com>, b@y.com" holds more than one address; list each contact separately',
        'notify.yaml:14:19: party "support" names unknown action "pricng" (did you mean "pricing"?)',
        'notify.yaml:15:3: party id "Bad_Id" is not a simple id: use lower-case letters, digits, "-" and "_" (at most 64, starting and ending with a letter or digit)',
        'notify.yaml:17:3: party id "__proto__" is a reserved name; choose another id',
        'notify.yaml:19:3: party id "constructor" is a reserved name; choose another id',
        'notify.yaml:23:15: party "empty" has no contacts; add at least one e-mail address',
        'notify.yaml:25:3: project id "Voeux 2027" is not a simple id: use lower-case letters, digits, "-" and "_" (at most 64, starting and ending with a letter or digit)',
        'notify.yaml:28:15: project "p1" names unknown party "suport" (did you mean "support"?)',
        'notify.yaml:29:15: project "p1" names unknown action "pricng" (did you mean "pricing"?)',
        'notify.yaml:30:12: project "p1" title contains a line break; it ends up in a mail header, keep it on one line',
        'notify.yaml:31:6: log "../outside.jsonl" must be a relative path inside the map\'s directory',
      ].sort(),
    );
    expect(parseMap(yaml, '/maps/notify.yaml', 'notify.yaml').map).toBeUndefined();
  });

  it.each([
    ['a duplicate key', `${HEAD}from: "b@x.com"\nparties:\n  s:\n    contacts: [a@x.com]\n`, 'notify.yaml:3:1: duplicate key "from": a key may appear only once here; merge the two entries'],
    ['a duplicate party id', `${HEAD}parties:\n  s:\n    contacts: [a@x.com]\n  "s":\n    contacts: [b@x.com]\n`, 'notify.yaml:6:3: duplicate key "s": a key may appear only once here; merge the two entries'],
    ['a tab used for indentation', `${HEAD}parties:\n\ts:\n    contacts: [a@x.com]\n`, 'notify.yaml:4:1: YAML: Tabs are not allowed as indentation'],
    ['an alias', `version: 1\nfrom: &f a@x.com\nreply_to: *f\nparties:\n  s:\n    contacts: [a@x.com]\n`, 'notify.yaml:3:11: aliases (*f) are not allowed in this file; write the value out'],
    ['a standard tag that is not plain data', `version: 1\nfrom: !!binary YQ==\nparties:\n  s:\n    contacts: [a@x.com]\n`, 'notify.yaml:2:16: custom tag tag:yaml.org,2002:binary is not allowed; remove it'],
    ['a party with no contacts key', `${HEAD}parties:\n  s:\n    name: S\n`, 'notify.yaml:4:3: party "s" has no contacts; add "contacts: [name@domain]"'],
    ['contacts that are not a list', `${HEAD}parties:\n  s:\n    contacts: a@x.com\n`, 'notify.yaml:5:15: party "s" contacts must be a list, e.g. [a, b]'],
    ['an absolute log path', `${HEAD}log: /var/log/notify.jsonl\nparties:\n  s:\n    contacts: [a@x.com]\n`, 'notify.yaml:3:6: log "/var/log/notify.jsonl" must be a relative path inside the map\'s directory'],
    ['a CR/LF in the organization', `version: 1\norganization: "Acme\\r\\nBcc: x@y.z"\nfrom: a@x.com\nparties:\n  s:\n    contacts: [a@x.com]\n`, 'notify.yaml:2:15: organization contains a line break; it ends up in a mail header, keep it on one line'],
    ['a LF in a party name', `${HEAD}parties:\n  s:\n    name: "S\\nBcc: x@y.z"\n    contacts: [a@x.com]\n`, 'notify.yaml:5:11: party "s" name contains a line break; it ends up in a mail header, keep it on one line'],
    ['a CR in a project summary', `${HEAD}parties:\n  s:\n    contacts: [a@x.com]\nprojects:\n  p:\n    summary: "a\\rb"\n`, 'notify.yaml:8:14: project "p" summary contains a line break; it ends up in a mail header, keep it on one line'],
    ['a CR/LF in from', `version: 1\nfrom: "a@x.com\\r\\nBcc: y@z.com"\nparties:\n  s:\n    contacts: [a@x.com]\n`, 'notify.yaml:2:7: from "a@x.com\r\nBcc: y@z.com" contains a line break or control character'],
    ['two addresses in an owner', `${HEAD}parties:\n  s:\n    contacts: [a@x.com]\nprojects:\n  p:\n    owner: "a@x.com, b@x.com"\n`, 'notify.yaml:8:12: project "p" owner "a@x.com, b@x.com" holds more than one address; list each contact separately'],
    ['a non-slug action id', `${HEAD}actions:\n  Pricing: {}\nparties:\n  s:\n    contacts: [a@x.com]\n`, 'notify.yaml:4:3: action id "Pricing" is not a simple id: use lower-case letters, digits, "-" and "_" (at most 64, starting and ending with a letter or digit)'],
    ['an unknown key in a project', `${HEAD}parties:\n  s:\n    contacts: [a@x.com]\nprojects:\n  p:\n    titel: x\n`, 'notify.yaml:8:5: unknown key "titel" in project "p" (did you mean "title"?)'],
    ['a version other than 1', `version: 2\nfrom: a@x.com\nparties:\n  s:\n    contacts: [a@x.com]\n`, 'notify.yaml:1:10: version must be 1'],
    ['an empty file', '', 'notify.yaml:1:1: the map is empty; start with "version: 1", "from:", "parties:"'],
  ])('%s', (_what, yaml, expected) => {
    expect(problemsOf(yaml)).toEqual([expected]);
  });

  it('a swapped, dropped or doubled character in a party or action reference gets the intended id, at its file:line:col', () => {
    const yaml = `${HEAD}actions:
  customer-newsletter-relance: {}
  pricing-change: {}
parties:
  customer-service-advisers:
    contacts: [a@x.com]
    affected_by: [custoemr-newsletter-relance, pricing-chnage]
  marketing:
    contacts: [m@x.com]
    affected_by: [pricingg-change]
projects:
  voeux-2027:
    parties: [customer-service-adivsers, makreting]
    actions: [customer-newsletter-relace]
`;
    expect(problemsOf(yaml)).toEqual([
      'notify.yaml:9:19: party "customer-service-advisers" names unknown action "custoemr-newsletter-relance" (did you mean "customer-newsletter-relance"?)',
      'notify.yaml:9:48: party "customer-service-advisers" names unknown action "pricing-chnage" (did you mean "pricing-change"?)',
      'notify.yaml:12:19: party "marketing" names unknown action "pricingg-change" (did you mean "pricing-change"?)',
      'notify.yaml:15:15: project "voeux-2027" names unknown party "customer-service-adivsers" (did you mean "customer-service-advisers"?)',
      'notify.yaml:15:42: project "voeux-2027" names unknown party "makreting" (did you mean "marketing"?)',
      'notify.yaml:16:15: project "voeux-2027" names unknown action "customer-newsletter-relace" (did you mean "customer-newsletter-relance"?)',
    ]);
  });

  it('a custom tag is one error at its line', () => {
    expect(problemsOf(`${HEAD}parties:\n  s:\n    contacts: [!custom a@x.com]\n`)).toEqual(['notify.yaml:5:24: custom tag !custom is not allowed; remove it']);
  });

  it('a duplicate key inside a flow mapping is placed at the second one', () => {
    expect(problemsOf(`${HEAD}actions:\n  pricing: { description: a, description: b }\nparties:\n  s:\n    contacts: [a@x.com]\n`)).toEqual(['notify.yaml:4:30: duplicate key "description": a key may appear only once here; merge the two entries']);
  });

  it('an alias bomb is refused at the first alias, without expanding it', () => {
    const bomb = `${HEAD}a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nparties:\n  s:\n    contacts: [a@x.com]\n`;
    const problems = problemsOf(bomb);
    expect(problems).toContain('notify.yaml:4:8: aliases (*a) are not allowed in this file; write the value out');
  });

  it('missing required keys are each reported', () => {
    expect(problemsOf('organization: x\n')).toEqual([
      'notify.yaml:1:1: missing "version: 1" at the top of the map',
      'notify.yaml:1:1: missing "from:", the sender of every notification (e.g. from: "Projets <projets@exemple.fr>")',
      'notify.yaml:1:1: missing "parties:", the teams to inform',
    ]);
  });

  it('scalars are never coerced: `no` stays the string "no"', () => {
    const map = mapFrom(`${HEAD}organization: no\nparties:\n  no:\n    name: no\n    contacts: [a@x.com]\n`);
    expect(map.organization).toBe('no');
    expect(map.parties.get('no')!.name).toBe('no');
    expect(problemsOf(`${HEAD}parties:\n  s:\n    contacts: [a@x.com]\n    always: no\n`)).toEqual(['notify.yaml:6:13: party "s" always must be true or false']);
    expect(problemsOf(`${HEAD}parties:\n  s:\n    name: 2027\n    contacts: [a@x.com]\n`)).toEqual(['notify.yaml:5:11: party "s" name must be a string (found 2027; quote it)']);
  });

  it('a %YAML 1.1 directive does not bring back 1.1 booleans', () => {
    expect(problemsOf(`%YAML 1.1\n---\n${HEAD}parties:\n  s:\n    contacts: [a@x.com]\n    always: yes\n`)).toEqual(['notify.yaml:8:13: party "s" always must be true or false']);
  });

  it('a second YAML document is refused where it starts', () => {
    expect(problemsOf(`${HEAD}parties:\n  s:\n    contacts: [a@x.com]\n---\nversion: 1\n`)).toEqual([expect.stringMatching(/^notify\.yaml:6:1: YAML: Source contains multiple documents/)]);
  });

  it('Windows line endings and a byte-order mark are read like any map', () => {
    const yaml = `${HEAD}parties:\n  s:\n    name: Sales\n    contacts: ["Ana <ana@x.com>"]\n`;
    expect(mapFrom(yaml.replace(/\n/g, '\r\n')).parties.get('s')).toMatchObject({ name: 'Sales', contacts: [{ address: 'ana@x.com', name: 'Ana' }] });
    expect(mapFrom(`\ufeff${yaml}`).version).toBe(1);
    expect(problemsOf(`${HEAD}parties:\r\n  s:\r\n    contacts: [a@x.com]\r\n    afected_by: []\r\n`)).toEqual(['notify.yaml:6:5: unknown key "afected_by" in party "s" (did you mean "affected_by"?)']);
  });

  it('builds the map: defaults, relative log, contacts with names, and project references', () => {
    const map = mapFrom(`${HEAD}log: logs/notify.jsonl\nactions:\n  pricing:\nparties:\n  s:\n    contacts: ["Ana <ana@x.com>", b@x.com]\n    affected_by: [pricing]\nprojects:\n  p:\n    actions: [pricing]\n    parties: [s]\n`, '/maps/team/notify.yaml');
    expect(map.locale).toBe('en');
    expect(map.log).toBe('/maps/team/logs/notify.jsonl');
    expect(map.from).toEqual({ address: 'projects@acme.test', name: 'Projects' });
    expect(map.parties.get('s')).toMatchObject({ name: 's', contacts: [{ address: 'ana@x.com', name: 'Ana' }, { address: 'b@x.com' }], affectedBy: ['pricing'], always: false, pos: { line: 7, col: 3 } });
    expect(map.projects.get('p')).toMatchObject({ actions: ['pricing'], parties: ['s'] });
    expect(mapFrom(`${HEAD}parties:\n  s:\n    contacts: [a@x.com]\n`, '/maps/notify.yaml').log).toBe('/maps/.notify/log.jsonl');
  });

  it('a key with nothing after it is an empty entry: an action, the projects, a project', () => {
    const map = mapFrom(`${HEAD}actions:\n  pricing:\nparties:\n  s:\n    contacts: [a@x.com]\nprojects:\n  p:\n`);
    expect(map.actions.get('pricing')).toEqual({ id: 'pricing' });
    expect(map.projects.get('p')).toMatchObject({ id: 'p', actions: [], parties: [] });
    expect(mapFrom(`${HEAD}parties:\n  s:\n    contacts: [a@x.com]\nprojects:\n`).projects.size).toBe(0);
  });
});
