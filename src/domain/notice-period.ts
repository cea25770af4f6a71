/**
 * Told in time: each party's deadline (`tell_by`) for a project with an effective date, when it
 * was told, and what that makes it: ok, pending, due, overdue or late.
 */
import { isoInZone, parseWall } from './calendar-zone.js';
import { amountOf, tellBy, unitOf, type Notice, type WorkCalendar } from './calendar.js';
import type { Delivery } from './deliveries.js';
import type { NoticeUsed } from './events.js';
import type { StakeholderMap } from './map.js';
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

export interface PartyTiming {
  party: string;
  notice: Notice;
  tell_by: string;
  /** When its last recipient was told, once all were; null until then. */
  told_at: string | null;
  /** Told after tell_by (or not told and tell_by passed): see `state`. */
  accepted_reason: string | null;
}

/** Each party with a deadline, and when it was told: from the deliveries and the log's sends. */
export function timingsOf(deadlines: NoticeUsed[], deliveries: Delivery[], state: ProjectState): PartyTiming[] {
  return deadlines.map((d) => {
    const mine = deliveries.filter((x) => x.parties.includes(d.party));
    let told: string | null = null;
    for (const x of mine) {
      const r = state.recipients.get(x.key);
      if (r?.status !== 'sent') {
        told = null;
        break;
      }
      if (told === null || Date.parse(r.ts) > Date.parse(told)) told = r.ts;
    }
    const accepted = state.late?.find((l) => l.party === d.party)?.reason ?? null;
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
