// Which buttons a staff row shows. Mirrors the server's transition rules so staff are never
// offered a move that can only end in a 409; the server stays the judge.

import type { ReservationStatus, Transition } from '../api/types';

const legal: Record<ReservationStatus, readonly Transition[]> = {
  waiting: ['call', 'cancel'],
  called: ['seat', 'no-show', 'cancel'],
  seated: ['finish'],
  finished: [],
  no_show: [],
  cancelled: [],
};

export function legalActions(status: ReservationStatus): readonly Transition[] {
  return legal[status] ?? [];
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
