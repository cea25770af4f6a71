/**
 * Told in time after an amendment: the effective date in force (the close's, or the one the last
 * `amend --correction --effective` moved it to) with the deadlines recorded for it (and for each
 * party an `amend --party` told later), whether the
 * change was called off (`amend --cancel`), the SEQUENCE the project's calendar event has
 * reached, and when each person was told of the date in force. All of it from the log.
 */
import { parseWall } from './calendar-zone.js';
import { effectiveOf } from './effective.js';
import type { CloseAmended, NoticeUsed } from './events.js';
import type { Amendment, ProjectState, RecipientState } from './state.js';

export interface InForce {
  /** The date in force ("2027-01-07" or "2027-01-07 09:00"), in the close's recorded zone. */
  effective?: string;
  /** The zone the close recorded: every later date of the project is read in it. */
  timezone?: string;
  /** The deadlines recorded for the date in force: the close's, or the last move's, with those of the parties told later. */
  notice?: NoticeUsed[];
  /** The amendment that moved the date to `effective`, if one did. */
  movedBy?: Amendment;
  /** The amendment that called the change off, if one did. */
  cancelledBy?: Amendment;
}

/** An amendment that changes the calendar event: a move of the date, or a cancellation. */
export function isEventUpdate(e: Pick<CloseAmended, 'kind' | 'effective'>): boolean {
  return e.kind === 'cancel' || (e.kind === 'correction' && effectiveOf(e) !== undefined);
}

/** What is in force after every amendment recorded (or after those before `until`). */
export function inForce(state: ProjectState, until?: Amendment): InForce {
  const p = state.planned;
  const out: InForce = { effective: effectiveOf(p), timezone: p?.timezone, notice: p?.notice };
  for (const a of state.amendments) {
    if (a === until) break;
    if (a.event.kind === 'cancel') out.cancelledBy = a;
    else if (isEventUpdate(a.event)) Object.assign(out, { effective: a.event.effective, notice: a.event.notice, movedBy: a });
    else if (a.event.kind === 'parties' && a.event.notice?.length) {
      // A party told later is held to its own deadline for the date in force then.
      const added = new Set(a.event.notice.map((n) => n.party));
      out.notice = [...(out.notice ?? []).filter((n) => !added.has(n.party)), ...a.event.notice];
    }
  }
  return out;
}

/**
 * The SEQUENCE of the project's calendar event in the messages of an amendment, given the
 * amendments recorded before it: the close's invitation is 0, and each move of the date or
 * cancellation is one more. Counted from the log, so a resumed amendment sends the same number.
 */
export function eventSequence(before: Pick<CloseAmended, 'kind' | 'effective'>[], amendment?: Pick<CloseAmended, 'kind' | 'effective'>): number {
  const updates = before.filter(isEventUpdate).length;
  return amendment && isEventUpdate(amendment) ? updates + 1 : updates;
}

/**
 * When each person (by address) was first told of a date at or before the date in force: the
 * close's message carried the close's date, a move's correction its new date, a party told
 * later the date in force then. So a later date keeps the earlier notices in time, and an
 * earlier one counts only from the correction that announced it. A correction that does not
 * move the date, and a cancellation, announce no date. `effective`: a date about to be put in
 * force (a move being decided), instead of the one in force.
 */
export function toldOfDateInForce(state: ProjectState, effective = inForce(state).effective): Map<string, string> {
  const out = new Map<string, string>();
  const limit = effective === undefined ? undefined : parseWall(effective);
  const add = (recipients: Map<string, RecipientState>, carried: string | undefined) => {
    const wall = carried === undefined ? undefined : parseWall(carried);
    if (limit === undefined || wall === undefined || wall > limit) return;
    for (const [key, r] of recipients) {
      if (r.status !== 'sent') continue;
      const before = out.get(key);
      if (before === undefined || Date.parse(r.ts) < Date.parse(before)) out.set(key, r.ts);
    }
  };
  let carried = effectiveOf(state.planned);
  add(state.recipients, carried);
  for (const a of state.amendments) {
    if (a.event.kind === 'cancel') continue;
    if (isEventUpdate(a.event)) carried = a.event.effective;
    else if (a.event.kind !== 'parties') continue;
    add(a.recipients, carried);
  }
  return out;
}

export interface Cancellation {
  /** When the cancellation was decided (its close.amended). */
  at: string;
  reason: string;
  decided_by?: string;
}

/** The project's cancellation, if `amend --cancel` called it off: for check, status and report. */
export function cancellationOf(state: ProjectState): Cancellation | undefined {
  const e = inForce(state).cancelledBy?.event;
  return e && { at: e.ts, reason: e.reason, ...(e.decided_by ? { decided_by: e.decided_by } : {}) };
}
