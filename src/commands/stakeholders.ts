/** notify stakeholders: who to inform, and why. */
import { formatAddress } from '../domain/address.js';
import { selectParties } from '../domain/select.js';
import { didYouMean } from '../domain/slug.js';
import type { StakeholderMap } from '../domain/map.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { openMap, type MapOptions } from '../app/workspace.js';

export interface StakeholdersOptions extends MapOptions {
  project?: string;
  actions: string[];
  json?: boolean;
  /** Suggest the parties whose paths: match files changed between this ref and HEAD. */
  since?: string;
}

export interface StakeholderRow {
  id: string;
  name: string;
  contacts: string[];
  reasons: string[];
}

export function stakeholderRows(map: StakeholderMap, o: { project?: string; actions: string[]; extra?: Map<string, string[]> }): StakeholderRow[] {
  for (const a of o.actions) if (!map.actions.has(a)) throw new UsageError(`--action ${a}: no such action in the map${didYouMean(a, map.actions.keys())}`);
  const filtered = o.project !== undefined || o.actions.length > 0 || o.extra !== undefined;
  const actions = [...(o.project ? (map.projects.get(o.project)?.actions ?? []) : []), ...o.actions];
  const selection = selectParties(map, { project: o.project, actions: filtered ? actions : [], extra: o.extra });
  return selection
    .filter((s) => !filtered || s.group !== 'other')
    .map((s) => ({
      id: s.party.id,
      name: s.party.name,
      contacts: s.party.contacts.map(formatAddress),
      // Unfiltered, each party shows the rules that can select it.
      reasons: filtered ? s.reasons : [...(s.party.always ? ['always'] : []), ...s.party.affectedBy.map((a) => `affected_by: ${a}`), ...(s.party.paths.length ? [`paths: ${s.party.paths.join(', ')}`] : [])],
    }));
}

export async function runStakeholders(o: StakeholdersOptions, ctx: Context): Promise<number> {
  const map = await openMap(o, ctx);
  if (o.project && !map.projects.has(o.project)) {
    if (o.actions.length === 0) throw new UsageError(`--project ${o.project}: no such project in the map${didYouMean(o.project, map.projects.keys())}`, 'give --action for an ad-hoc project');
  }
  // git (and execa) load only for --since: the plain listing stays near bare Node.
  const extra = o.since === undefined ? undefined : await (await import('../app/plan-files/since.js')).sinceReasons(map, o.since);
  const rows = stakeholderRows(map, { ...o, extra });
  if (o.json) {
    ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const s = ctx.style;
  if (rows.length === 0 && !ctx.quiet) ctx.stderr.write('no party is concerned\n');
  for (const r of rows) {
    ctx.stdout.write(`${s.bold(r.name)} ${s.dim(`(${r.id})`)}\n`);
    ctx.stdout.write(`  why:      ${r.reasons.length > 0 ? r.reasons.join('; ') : s.dim('no rule selects it; add it by hand with --party')}\n`);
    ctx.stdout.write(`  contacts: ${r.contacts.join(', ')}\n`);
  }
  return EXIT.ok;
}
