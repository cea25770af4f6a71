/**
 * Told in time: each party's deadline (`tell_by`) for a project with an effective date, when it
 * was told, and what that makes it: ok, pending, due, overdue or late.
 */
import { isoInZone, parseWall } from './calendar-zone.js';
import { amountOf, tellBy, unitOf, type Notice, type WorkCalendar } from './calendar.js';
import type { Delivery } from './deliveries.js';
import type { NoticeUsed } from './events.js';
import type { StakeholderMap } from './map.js';
import { toldOfDateInForce } from './in-force.js';
import type { ProjectState } from './state.js';

export type DueState = 'ok' | 'pending' | 'due' | 'overdue' | 'late';

/** The project's own notice for a party, else the party's; a party with neither has no deadline. */
export function noticeFor(map: StakeholderMap, project: string, party: string): Notice | undefined {
  return map.projects.get(project)?.noticePeriods?.find((n) => n.party === party)?.notice ?? map.parties.get(party)?.notice;
}

export function noticeOf(used: NoticeUsed): Notice {
  if (used.working_days !== undefined) return { working_days: used.working_days };
  if (used.days !== undefined) return { days: used.days };
  return { hours: used.hours ?? 0 };
}

/** The deadlines of the parties that have a notice period, in the order given. */
export function deadlinesFor(map: StakeholderMap, project: string, parties: string[], effective: string, cal: WorkCalendar): NoticeUsed[] {
  const wall = parseWall(effective);
  if (wall === undefined) return [];
  const out: NoticeUsed[] = [];
  for (const party of parties) {
    const notice = noticeFor(map, project, party);
    if (!notice) continue;
    out.push({ party, [unitOf(notice)]: amountOf(notice), tell_by: isoInZone(tellBy(cal, wall, notice).instant, cal.timeZone) });
  }
  return out;
}

/** The same notice periods counted back from another effective date: the deadlines of a move. */
export function deadlinesAgain(used: NoticeUsed[], effective: string, cal: WorkCalendar): NoticeUsed[] {
  const wall = parseWall(effective);
  if (wall === undefined) return [];
  return used.map((u) => {
    const notice = noticeOf(u);
    return { party: u.party, [unitOf(notice)]: amountOf(notice), tell_by: isoInZone(tellBy(cal, wall, notice).instant, cal.timeZone) };
  });
}

export interface PartyTiming {
  party: string;
  notice: Notice;
  tell_by: string;
  /** When its last recipient was told, once all were; null until then. */
  told_at: string | null;
  /** Told after tell_by (or not told and tell_by passed): see `state`. */
  accepted_reason: string | null;
}

/**
 * Each party with a deadline, and when it was told: from the deliveries and the log's sends of
 * a message carrying the date in force or an earlier one (see toldOfDateInForce). A late notice
 * is accepted for the deadline it was accepted for: a move of the date gives new deadlines.
 */
export function timingsOf(deadlines: NoticeUsed[], deliveries: Delivery[], state: ProjectState, sends = toldOfDateInForce(state)): PartyTiming[] {
  return deadlines.map((d) => {
    const mine = deliveries.filter((x) => x.parties.includes(d.party));
    let told: string | null = null;
    for (const x of mine) {
      const at = sends.get(x.key);
      if (at === undefined) {
        told = null;
        break;
      }
      if (told === null || Date.parse(at) > Date.parse(told)) told = at;
    }
    const accepted = state.late?.find((l) => l.party === d.party && Date.parse(l.tell_by) === Date.parse(d.tell_by))?.reason ?? null;
    return { party: d.party, notice: noticeOf(d), tell_by: d.tell_by, told_at: mine.length ? told : null, accepted_reason: accepted };
  });
}

/** Told after its deadline. */
export function isLate(t: PartyTiming): boolean {
  return t.told_at !== null && Date.parse(t.told_at) > Date.parse(t.tell_by);
}

/** `dueFrom`: the instant from which an untold party is `due` (its deadline minus --within). */
export function dueState(t: PartyTiming, now: number, dueFrom: number): DueState {
  if (t.told_at !== null) return isLate(t) ? 'late' : 'ok';
  const by = Date.parse(t.tell_by);
  if (now > by) return 'overdue';
  return now >= dueFrom ? 'due' : 'pending';
}
