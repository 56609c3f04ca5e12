// Which buttons a staff row shows: the server's transition table, generated into
// api/transitions.ts, so staff are never offered a move that can only end in a 409; the server
// stays the judge.

import type { ReservationStatus, Transition } from '../api/types';
import { LEGAL_ACTIONS } from '../api/transitions';

export function legalActions(status: ReservationStatus): readonly Transition[] {
  return LEGAL_ACTIONS[status] ?? [];
}

export const actionLabels: Record<Transition, string> = {
  call: 'Call',
  seat: 'Seat',
  finish: 'Finish',
  'no-show': 'No-show',
  cancel: 'Cancel',
};

/** Why "Call next" cannot work right now, or null when it can. */
export function callNextBlocker(game: { copies: number; copiesInUse: number; waitingCount: number }): string | null {
  if (game.waitingCount === 0) return 'Nobody is waiting';
  if (game.copiesInUse >= game.copies) return game.copies === 0 ? 'No copies to lend' : 'All copies are in use';
  return null;
}
