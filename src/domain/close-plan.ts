/**
 * A close as one value: from the map, the log's state and the decisions, exactly which messages
 * go to whom and where the close stands. `close`, its dry run, `preview` and `check` all read it;
 * only `applyClosePlan` acts on it.
 */
import type { StakeholderMap } from './map.js';
import { amendingProgress, type AmendKind } from './amend-plan.js';
import { planDeliveries, type Decisions, type Delivery } from './deliveries.js';
import { progressOf, type Progress } from './progress.js';
import { expectedParties, selectParties } from './select.js';
import type { ProjectState } from './state.js';

export interface ClosePlan {
  project: string;
  decisions: Decisions;
  /** True when the decisions come from the log (a resumed close): they are not recorded again. */
  recorded: boolean;
  /** Every delivery of the close, sent or not. */
  deliveries: Delivery[];
  /** The date the messages carry: when the decisions were recorded, else now. */
  date: Date;
  progress: Progress;
  /** What this run sends: not sent yet, and with --resend-unknown the unknown ones too. */
  toSend: Delivery[];
}

export interface PlanOptions {
  now: Date;
  resendUnknown: boolean;
}

export function planClose(map: StakeholderMap, state: ProjectState, decisions: Decisions, o: PlanOptions): ClosePlan {
  const deliveries = planDeliveries(map, decisions, state);
  const progress = progressOf(decisions, deliveries, state);
  const keys = new Set(progress.toSend.map((d) => d.key));
  if (o.resendUnknown) for (const d of progress.unknownDeliveries) keys.add(d.key);
  return {
    project: decisions.project,
    decisions,
    recorded: state.planned !== undefined,
    deliveries,
    date: state.planned ? new Date(state.planned.ts) : o.now,
    progress,
    toSend: deliveries.filter((d) => keys.has(d.key)),
  };
}

/** Every selected party told (or skipped): the close may be recorded as closed. */
export function isComplete(p: Progress): boolean {
  return p.pending.length === 0 && p.failed.length === 0 && p.unknown.length === 0;
}

/** The parties still to tell, failed or unknown: what keeps the project open. */
export function openParties(p: Progress): string[] {
  return [...p.failed, ...p.unknown, ...p.pending];
}

/** What `check` and `status` report for a project, planned or not. */
export interface ProjectSummary {
  project: string;
  title?: string;
  closed: boolean;
  closed_at?: string;
  planned: boolean;
  notified: string[];
  pending: string[];
  failed: string[];
  unknown: string[];
  skipped: { party: string; reason: string }[];
  /** An amendment in progress: the project is not closed again until its messages are all sent. */
  amendment?: AmendmentSummary;
}

export interface AmendmentSummary {
  kind: AmendKind;
  parties: string[];
  reason: string;
  since: string;
  decided_by?: string;
  /** A correction that moves the date: the new effective date. */
  effective?: string;
}

export function summarize(map: StakeholderMap, state: ProjectState): ProjectSummary {
  const project = map.projects.get(state.project);
  const planned = state.planned;
  const base = { project: state.project, title: planned?.title ?? project?.title, closed: state.closed !== undefined, closed_at: state.closed?.ts, planned: planned !== undefined };
  if (!planned) {
    const expected = expectedParties(selectParties(map, { project: state.project, actions: project?.actions ?? [] }));
    return { ...base, notified: [], pending: expected, failed: [], unknown: [], skipped: [] };
  }
  // A party skipped after the close was decided (its every address refused) is skipped too.
  const skipped = state.skipped;
  const decisions: Decisions = { project: state.project, actions: planned.actions, parties: planned.parties.filter((p) => map.parties.has(p) && !skipped.some((s) => s.party === p)), skipped, summary: planned.summary };
  if (state.closed) {
    return { ...base, notified: state.closed.notified, pending: [], failed: [], unknown: [], skipped: state.closed.skipped };
  }
  const amending = state.amending && amendingProgress(map, state);
  if (state.amending && amending) {
    const e = state.amending.event;
    const before = state.amending.after;
    const told = e.kind === 'parties' ? [...new Set([...(before?.notified ?? []), ...amending.notified])] : (before?.notified ?? []);
    const amendment: AmendmentSummary = { kind: e.kind, parties: e.parties, reason: e.reason, since: e.ts, decided_by: e.decided_by, ...(e.effective ? { effective: e.effective } : {}) };
    return { ...base, notified: told, pending: amending.pending, failed: amending.failed, unknown: amending.unknown, skipped: (before?.skipped ?? []).filter((s) => !told.includes(s.party)), amendment };
  }
  const p = planClose(map, state, decisions, { now: new Date(planned.ts), resendUnknown: false }).progress;
  return { ...base, notified: p.notified, pending: p.pending, failed: p.failed, unknown: p.unknown, skipped: p.skipped };
}
