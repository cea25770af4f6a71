/**
 * What to do after a server refused addresses for good (5xx): running again would fail the same
 * way. Names each refused contact's line in the map, and the skip a resume accepts for a party
 * whose every address was refused. Loaded only on that path (it parses the map's YAML again).
 */
import fs from 'node:fs';
import { addressKey } from '../../domain/address.js';
import type { Delivery } from '../../domain/deliveries.js';
import type { StakeholderMap } from '../../domain/map.js';
import { failureText } from '../../domain/progress.js';
import type { RecipientState } from '../../domain/state.js';
import { displayPath } from '../../config/load.js';
import { YamlSource } from '../../config/yaml-source.js';
import { posAt } from '../validate/positions.js';

export interface RefusedOptions {
  /** What to run again: `notify close voeux-2027`, `notify amend voeux-2027`. */
  rerun: string;
  /** Parties whose every address was refused, which the rerun accepts --skip for. */
  skippable: string[];
}

export function refusedAdvice(map: StakeholderMap, recipients: Map<string, RecipientState>, refused: Delivery[], cwd: string, o: RefusedOptions): string {
  const shown = displayPath(cwd, map.file);
  let src: YamlSource | undefined;
  try {
    src = new YamlSource(map.file, shown, fs.readFileSync(map.file, 'utf8'));
  } catch {
    src = undefined;
  }
  const lines: string[] = [];
  for (const delivery of refused) {
    const r = recipients.get(delivery.key);
    const party = delivery.parties.find((p) => map.parties.get(p)?.contacts.some((c) => addressKey(c.address) === delivery.key));
    const index = party ? map.parties.get(party)!.contacts.findIndex((c) => addressKey(c.address) === delivery.key) : -1;
    const at = src?.doc && party && index >= 0 ? posAt(src, ['parties', party, 'contacts', index]) : undefined;
    const where = at ? `${shown}:${at.line}:${at.col}` : shown;
    lines.push(`${delivery.to.address} was refused for good (${failureText(r?.code, r?.text ?? '')}), so running again fails the same way: correct the address at ${where}, then run \`${o.rerun}\` again`);
  }
  for (const p of o.skippable) {
    lines.push(`or, if ${p} need not be told after all (every address of it was refused): ${o.rerun} --skip ${p}="why", recorded, and the project can close`);
  }
  return lines.join('\n  ');
}
