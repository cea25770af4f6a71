/**
 * What a valid map can still get wrong: a party no rule ever selects, an action that selects
 * nobody, the same person in several parties, one distribution list shared by several parties.
 * A contact written with a display name ("Marie <marie@x.fr>") is taken for a person; a bare
 * address ("advisers@x.fr") for a distribution list.
 */
import { addressKey, type Address } from '../../domain/address.js';
import type { StakeholderMap } from '../../domain/map.js';
import type { Diagnostic } from '../../errors.js';
import type { YamlSource } from '../../config/yaml-source.js';
import { posAt } from './positions.js';

export function mapFindings(map: StakeholderMap, src: YamlSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (steps: (string | number)[], message: string, key = false) => {
    const p = posAt(src, steps, key);
    out.push({ file: src.displayName, line: p.line, col: p.col, message, severity: 'warning' });
  };
  const named = new Set([...map.projects.values()].flatMap((p) => p.parties));
  for (const party of map.parties.values()) {
    if (party.always || party.affectedBy.length > 0 || party.paths.length > 0 || named.has(party.id)) continue;
    warn(['parties', party.id], `party "${party.id}" is never selected: it is not always told, has no affected_by or paths, and no project names it; add affected_by: [${[...map.actions.keys()][0] ?? 'an-action'}] (or always: true), or remove it`, true);
  }
  const selecting = new Set([...map.parties.values()].flatMap((p) => p.affectedBy));
  for (const action of map.actions.values()) {
    if (selecting.has(action.id)) continue;
    warn(['actions', action.id], `action "${action.id}" selects nobody: no party lists it under affected_by, so a project with only this action tells only the always-told parties; add it to a party's affected_by`, true);
  }
  for (const project of map.projects.values()) {
    if (!project.owner) warn(['projects', project.id], `project "${project.id}" has no owner: its messages cannot say whom to ask; add owner: "Name <name@domain>" (replies then reach them)`, true);
    const length = [...(project.summary ?? '')].length;
    if (length > SUMMARY_MAX) warn(['projects', project.id, 'summary'], `project "${project.id}" summary is ${length} characters: over ${SUMMARY_MAX}, an inbox cuts the subject before the end; say the fact in fewer words and put the rest in details`);
  }
  out.push(...sharedContacts(map, src));
  return out;
}

/** What an inbox shows of a subject, less "[Org] From 4 Jan: ". */
const SUMMARY_MAX = 70;

interface Use {
  party: string;
  index: number;
  contact: Address;
}

function sharedContacts(map: StakeholderMap, src: YamlSource): Diagnostic[] {
  const uses = new Map<string, Use[]>();
  for (const party of map.parties.values()) {
    party.contacts.forEach((contact, index) => {
      const key = addressKey(contact.address);
      const list = uses.get(key);
      if (list) list.push({ party: party.id, index, contact });
      else uses.set(key, [{ party: party.id, index, contact }]);
    });
  }
  const out: Diagnostic[] = [];
  for (const [address, list] of uses) {
    if (list.length < 2) continue;
    const person = list.some((u) => u.contact.name);
    const [first, ...rest] = list;
    const firstPos = posAt(src, ['parties', first.party, 'contacts', first.index]);
    for (const u of rest) {
      const p = posAt(src, ['parties', u.party, 'contacts', u.index]);
      const where = `line ${firstPos.line}`;
      const message =
        u.party === first.party
          ? `contact ${address} is listed twice in party "${u.party}" (first at ${where}); remove one`
          : person
            ? `contact ${address} is in both "${first.party}" (${where}) and "${u.party}": the same person in several parties gets one message naming them all; fine if intended, else keep one`
            : `distribution list ${address} is the contact of both "${first.party}" (${where}) and "${u.party}": whenever either is told, the whole list is, so skipping one spares nobody; give each party its own list, or merge the parties`;
      out.push({ file: src.displayName, line: p.line, col: p.col, message, severity: 'warning' });
    }
  }
  return out;
}
