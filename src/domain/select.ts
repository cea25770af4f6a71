/** Which parties a close concerns, and why: the map's rules as a pure function. */
import type { Party, StakeholderMap } from './map.js';

export type Group = 'always' | 'suggested' | 'other';

export interface Selection {
  party: Party;
  group: Group;
  reasons: string[];
}

export interface SelectInput {
  project?: string;
  actions: string[];
  /** Extra reasons computed outside the map (e.g. changed files matching a party's paths). */
  extra?: Map<string, string[]>;
}

/** Every party of the map, in map order, with the reasons it is selected (empty for "other"). */
export function selectParties(map: StakeholderMap, input: SelectInput): Selection[] {
  const named = new Set(input.project ? (map.projects.get(input.project)?.parties ?? []) : []);
  const actions = new Set(input.actions);
  const out: Selection[] = [];
  for (const party of map.parties.values()) {
    const reasons: string[] = [];
    if (party.always) reasons.push('always');
    for (const a of party.affectedBy) if (actions.has(a)) reasons.push(`affected_by: ${a}`);
    if (named.has(party.id)) reasons.push('named by project');
    for (const r of input.extra?.get(party.id) ?? []) reasons.push(r);
    out.push({ party, reasons, group: party.always ? 'always' : reasons.length > 0 ? 'suggested' : 'other' });
  }
  return out;
}

/** The parties `close` pre-selects. */
export function expectedParties(selection: Selection[]): string[] {
  return selection.filter((s) => s.group !== 'other').map((s) => s.party.id);
}
