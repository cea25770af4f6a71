/** The questions of an interactive `notify init`, through the context's prompter. */
import type { Prompter, Writer } from '../../context.js';
import { parseAddress } from '../../domain/address.js';
import { slugProblem } from '../../domain/slug.js';
import { UsageError } from '../../errors.js';
import type { InitAnswers, InitParty } from './render-map.js';

const TRIES = 5;
const MAX_ACTIONS = 10;
const MAX_PARTIES = 20;

/** Ask until `check` accepts the answer (it returns a problem, or undefined); an empty answer takes the default. */
async function ask(p: Prompter, err: Writer, message: string, check: (v: string) => string | undefined, def?: string): Promise<string> {
  for (let i = 0; i < TRIES; i++) {
    const value = ((await p.input(message, { default: def, required: def === undefined })) || def || '').trim();
    const problem = check(value);
    if (!problem) return value;
    err.write(`  ${problem}\n`);
  }
  throw new UsageError(`no valid answer to "${message}"`, 'run "notify init --yes" for a starter map and edit it');
}

const oneLine = (what: string) => (v: string) => (!v ? `${what} cannot be empty` : /[\r\n]/.test(v) ? `${what} must fit on one line` : undefined);
const anAddress = (v: string) => {
  const r = parseAddress(v);
  return typeof r === 'string' ? `"${v}" ${r}` : undefined;
};
const anId = (taken: string[]) => (v: string) => slugProblem(v) ?? (taken.includes(v) ? `"${v}" is already used` : undefined);

function splitContacts(v: string): string[] {
  return v.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
}

/** An optional address: empty is none. */
const anAddressOrNone = (v: string) => (v === '' ? undefined : anAddress(v));

/** A party's contacts: the good addresses of an answer are kept, and only a wrong one is asked again (or dropped). */
async function askContacts(p: Prompter, err: Writer, name: string): Promise<string[]> {
  for (let i = 0; i < TRIES; i++) {
    const given = splitContacts(await p.input(`Contacts of ${name} (addresses, separated by commas)`, { required: true }));
    const kept: string[] = [];
    for (const contact of given) {
      const problem = anAddress(contact);
      if (problem) err.write(`  ${problem}\n`);
      const fixed = problem ? await ask(p, err, `Correct "${contact}" (leave empty to drop it)`, anAddressOrNone, '') : contact;
      if (fixed && !kept.some((k) => sameAddress(k, fixed))) kept.push(fixed);
    }
    if (kept.length > 0) return kept;
    err.write('  give at least one e-mail address\n');
  }
  throw new UsageError(`no valid answer to "Contacts of ${name}"`, 'run "notify init --yes" for a starter map and edit it');
}

function sameAddress(a: string, b: string): boolean {
  const [x, y] = [parseAddress(a), parseAddress(b)];
  return typeof x !== 'string' && typeof y !== 'string' && x.address.toLowerCase() === y.address.toLowerCase();
}

function titleCase(id: string): string {
  const words = id.replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The kinds of action: a first one, then more until an empty answer. */
async function askActions(p: Prompter, err: Writer): Promise<InitAnswers['actions']> {
  const actions: InitAnswers['actions'] = [];
  while (actions.length < MAX_ACTIONS) {
    const first = actions.length === 0;
    const taken = actions.map((a) => a.id);
    const id = await ask(p, err, first ? 'A first kind of action a project can involve (an id)' : 'Another kind of action (an id; leave empty to finish)', (v) => (v === '' && !first ? undefined : anId(taken)(v)), first ? 'customer-email' : '');
    if (id === '') break;
    const description = await ask(p, err, `Describe "${id}" in one line`, oneLine('the description'), id === 'customer-email' ? 'E-mail or mailing sent to customers' : undefined);
    actions.push({ id, description });
  }
  return actions;
}

/** Which actions concern a party: a yes/no for a single action, a list to tick for several. */
async function askAffectedBy(p: Prompter, name: string, actions: string[]): Promise<string[]> {
  if (actions.length === 1) return (await p.confirm(`Is ${name} concerned by "${actions[0]}"?`, true)) ? actions : [];
  const ticked = await p.checkbox(`Which kinds of action concern ${name}?`, actions.map((a) => ({ value: a, name: a })));
  return actions.filter((a) => ticked.includes(a));
}

/** `locales`: the languages notify ships a template for. */
export async function askInit(p: Prompter, err: Writer, locales: string[]): Promise<InitAnswers> {
  const organization = await ask(p, err, 'Your organisation (shown in subjects)', oneLine('the organisation'));
  const from = await ask(p, err, 'Sender of every notification, e.g. "Projects <projects@example.com>"', anAddress);
  const replyTo = await ask(p, err, 'Where replies go when a project names no owner (an address; leave empty for the sender)', anAddressOrNone, '');
  const locale = await ask(p, err, `Language of the messages (${locales.join(', ')})`, (v) => (locales.includes(v) ? undefined : `no template ships for "${v}"; choose one of ${locales.join(', ')} (a party can later name a template of its own)`), 'en');
  const actions = await askActions(p, err);
  const actionIds = actions.map((a) => a.id);
  const parties: InitParty[] = [];
  while (parties.length < MAX_PARTIES) {
    const first = parties.length === 0;
    const taken = parties.map((x) => x.id);
    const id = await ask(p, err, first ? 'A first party to inform (an id)' : 'Another party (an id; leave empty to finish)', (v) => (v === '' && !first ? undefined : anId(taken)(v)), first ? 'customer-service' : '');
    if (id === '') break;
    const name = await ask(p, err, `Name of "${id}"`, oneLine('the name'), titleCase(id));
    const contacts = await askContacts(p, err, name);
    const always = await p.confirm(`Tell ${name} of every closure, whatever the project?`, false);
    const affectedBy = always ? [] : await askAffectedBy(p, name, actionIds);
    parties.push({ id, name, contacts, always, affectedBy });
  }
  const owner = await ask(p, err, 'Owner of the first project, who answers questions (an address, the Reply-To of its messages; leave empty for none)', anAddressOrNone, '');
  return {
    organization,
    from,
    replyTo: replyTo || undefined,
    locale,
    actions,
    parties,
    project: { id: 'first-project', title: 'Our first project', actions: [actionIds[0]], owner: owner || undefined },
  };
}
