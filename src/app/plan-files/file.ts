/** Where plans live: .notify/plans/<project>.md beside the map. */
import fs from 'node:fs';
import path from 'node:path';
import type { StakeholderMap } from '../../domain/map.js';
import { slugProblem } from '../../domain/slug.js';

export function plansDir(map: StakeholderMap): string {
  return path.join(map.dir, '.notify', 'plans');
}

export function planPath(map: StakeholderMap, project: string): string {
  return path.join(plansDir(map), `${project}.md`);
}

/** Project ids of every plan file, sorted; files whose name is not a project id are ignored. */
export function listPlans(map: StakeholderMap): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(plansDir(map));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.md'))
    .map((n) => n.slice(0, -3))
    .filter((id) => !slugProblem(id))
    .sort();
}
