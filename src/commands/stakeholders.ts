/** notify stakeholders: who to inform, and why. */
import { formatAddress } from '../domain/address.js';
import { selectParties } from '../domain/select.js';
import { didYouMean } from '../domain/slug.js';
import type { StakeholderMap } from '../domain/map.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { logName, openMap, warned, type MapOptions } from '../app/workspace.js';
import { requireKnownProject } from '../app/known-project.js';
import { displayPath } from '../config/load.js';

export interface StakeholdersOptions extends MapOptions {
  /** Known to the map, a plan or the log; an unknown id is an error (exit 2, did you mean). */
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

/** `projectActions`: the project's actions when the map does not list them (its plan's, or those recorded in the log). */
export function stakeholderRows(map: StakeholderMap, o: { project?: string; actions: string[]; extra?: Map<string, string[]>; projectActions?: string[] }): StakeholderRow[] {
  for (const a of o.actions) if (!map.actions.has(a)) throw new UsageError(`--action ${a}: no such action in the map${didYouMean(a, map.actions.keys())}`);
  const filtered = o.project !== undefined || o.actions.length > 0 || o.extra !== undefined;
  const actions = [...(o.project ? (map.projects.get(o.project)?.actions ?? o.projectActions ?? []) : []), ...o.actions];
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
  const projectActions = o.project === undefined || map.projects.has(o.project) ? undefined : await actionsOfUnlisted(map, o.project, o.actions, ctx);
  // git (and execa) load only for --since: the plain listing stays near bare Node.
  const extra = o.since === undefined ? undefined : await (await import('../app/plan-files/since.js')).sinceReasons(map, o.since);
  const rows = stakeholderRows(map, { ...o, extra, projectActions });
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

/** A project the map does not list: known from its plan or the log (their actions), else exit 2. */
async function actionsOfUnlisted(map: StakeholderMap, project: string, actions: string[], ctx: Context): Promise<string[]> {
  const state = warned(await ctx.ports.log.readIndexedState(map, logName(map, ctx), project, ctx.env), ctx);
  const hint = actions.length > 0 ? `the map, .notify/plans and the log do not know it; without a project, notify stakeholders --action ${actions[0]} lists who that action concerns` : undefined;
  await requireKnownProject(map, project, ctx, { inLog: state.firstTs !== undefined, hint });
  if (state.planned) return state.planned.actions;
  // The plan reader (and the YAML parser) load only here: the plain listing stays near bare Node.
  const { loadPlan } = await import('../app/plan-files/read.js');
  return loadPlan(map, project, (f) => displayPath(ctx.cwd, f))?.decisions.actions ?? [];
}
