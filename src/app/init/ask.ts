/** The questions of an interactive `notify init`, through the context's prompter. */
import type { Prompter, Writer } from '../../context.js';
import { parseAddress } from '../../domain/address.js';
import { slugProblem } from '../../domain/slug.js';
import { UsageError } from '../../errors.js';
import type { InitAnswers, InitParty } from './render-map.js';

const TRIES = 5;
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

const contactsCheck = (v: string) => {
  const contacts = splitContacts(v);
  if (contacts.length === 0) return 'give at least one e-mail address';
  for (const c of contacts) {
    const problem = anAddress(c);
    if (problem) return problem;
  }
  return undefined;
};

function titleCase(id: string): string {
  const words = id.replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `locales`: the languages notify ships a template for. */
export async function askInit(p: Prompter, err: Writer, locales: string[]): Promise<InitAnswers> {
  const organization = await ask(p, err, 'Your organisation (shown in subjects)', oneLine('the organisation'));
  const from = await ask(p, err, 'Sender of every notification, e.g. "Projects <projects@example.com>"', anAddress);
  const locale = await ask(p, err, `Language of the messages (${locales.join(', ')})`, (v) => (locales.includes(v) ? undefined : `no template ships for "${v}"; choose one of ${locales.join(', ')} (a party can later name a template of its own)`), 'en');
  const actionId = await ask(p, err, 'A first kind of action a project can involve (an id)', anId([]), 'customer-email');
  const description = await ask(p, err, `Describe "${actionId}" in one line`, oneLine('the description'), actionId === 'customer-email' ? 'E-mail or mailing sent to customers' : undefined);
  const parties: InitParty[] = [];
  while (parties.length < MAX_PARTIES) {
    const first = parties.length === 0;
    const taken = parties.map((x) => x.id);
    const id = await ask(p, err, first ? 'A first party to inform (an id)' : 'Another party (an id; leave empty to finish)', (v) => (v === '' && !first ? undefined : anId(taken)(v)), first ? 'customer-service' : '');
    if (id === '') break;
    const name = await ask(p, err, `Name of "${id}"`, oneLine('the name'), titleCase(id));
    const contacts = splitContacts(await ask(p, err, `Contacts of ${name} (addresses, separated by commas)`, contactsCheck));
    const always = await p.confirm(`Tell ${name} of every closure, whatever the project?`, false);
    const affected = always ? false : await p.confirm(`Is ${name} concerned by "${actionId}"?`, true);
    parties.push({ id, name, contacts, always, affectedBy: affected ? [actionId] : [] });
  }
  return {
    organization,
    from,
    locale,
    actions: [{ id: actionId, description }],
    parties,
    project: { id: 'first-project', title: 'Our first project', actions: [actionId] },
  };
}
