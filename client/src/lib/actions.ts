// Which buttons a staff row shows: the server's transition table, generated into
// api/transitions.ts, so staff are never offered a move that can only end in a 409; the server
// stays the judge. The undo of each action comes from the same generated file.

import type { ReservationStatus, Transition } from '../api/types';
import { LEGAL_ACTIONS, UNDO } from '../api/transitions';

export function legalActions(status: ReservationStatus): readonly Transition[] {
  return LEGAL_ACTIONS[status] ?? [];
}

export const actionLabels: Record<Transition, string> = {
  call: 'Call',
  seat: 'Seat',
  finish: 'Finish',
  'no-show': 'No-show',
  cancel: 'Cancel',
  uncall: 'Uncall',
  unseat: 'Unseat',
  unfinish: 'Back to seated',
  reinstate: 'Back in queue',
  requeue: 'To the back',
  'extend-hold': '+ Time',
  'move-up': '▲',
  'move-down': '▼',
};

/** Words for screen readers and toasts where the label is a symbol or too short. */
export const actionNames: Record<Transition, string> = {
  ...actionLabels,
  uncall: 'Back to waiting',
  'extend-hold': 'More time',
  unseat: 'Back to called',
  'move-up': 'Move up',
  'move-down': 'Move down',
};

/** What the toast says once an action went through. */
export const actionDone: Record<Transition, string> = {
  call: 'Called',
  seat: 'Seated',
  finish: 'Finished',
  'no-show': 'Marked no-show:',
  cancel: 'Cancelled',
  uncall: 'Back to waiting:',
  unseat: 'Back to called:',
  unfinish: 'Back to seated:',
  reinstate: 'Back in the queue at its place:',
  requeue: 'Sent to the back of the queue:',
  'extend-hold': 'More time for',
  'move-up': 'Moved up:',
  'move-down': 'Moved down:',
};

/** Moves that put a party out of the queue: asked for twice on a touch screen (a mis-tap is easy). */
export const DESTRUCTIVE: ReadonlySet<Transition> = new Set<Transition>(['cancel', 'no-show']);

/** The moves a row in the live queue shows as buttons of its own; the steps back live in the undo toast and the ended list. */
export const ROW_ACTIONS: ReadonlySet<Transition> = new Set<Transition>(['call', 'seat', 'finish', 'no-show', 'cancel', 'extend-hold']);
/** Moving a waiting party up or down: small buttons beside its position. */
export const PLACE_ACTIONS: ReadonlySet<Transition> = new Set<Transition>(['move-up', 'move-down']);

/** The move that takes `action` back, or null when it has none. */
export function undoOf(action: Transition): Transition | null {
  return UNDO[action] ?? null;
}

/** Why "Call next" cannot work right now, or null when it can. */
export function callNextBlocker(game: { copies: number; copiesInUse: number; waitingCount: number }): string | null {
  if (game.waitingCount === 0) return 'Nobody is waiting';
  if (game.copiesInUse >= game.copies) return game.copies === 0 ? 'No copies to lend' : 'All copies are in use';
  return null;
}
