/** An amendment in progress in a few words, for check and status. */
import type { AmendmentSummary } from '../../domain/close-plan.js';
import { inForce } from '../../domain/in-force.js';
import type { ProjectState } from '../../domain/state.js';

export function amendmentWhat(a: AmendmentSummary): string {
  if (a.kind === 'parties') return `telling ${a.parties.join(', ')}`;
  if (a.kind === 'cancel') return 'a cancellation to everyone told';
  return a.effective ? `a correction to everyone told, moving the date to ${a.effective}` : 'a correction to everyone told';
}

/** For a preview of a recorded close: the date its messages carried is no longer the one in force. */
export function dateNote(state: ProjectState): string | undefined {
  const now = inForce(state);
  const shown = `the close's messages are shown as they were sent${state.planned?.effective ? `, for ${state.planned.effective}` : ''}`;
  if (now.cancelledBy) return `${shown}; the change was cancelled on ${now.cancelledBy.event.ts} (${now.cancelledBy.event.reason})`;
  if (now.movedBy) return `${shown}; the date in force is ${now.effective}, moved on ${now.movedBy.event.ts} (see notify report)`;
  return undefined;
}
