// Which buttons a staff row shows: the server's transition table, generated into
// api/transitions.ts, so staff are never offered a move that can only end in a 409; the server
// stays the judge. The undo of each action comes from the same generated file.

import type { ReservationStatus, Transition } from '../api/types';
import { LEGAL_ACTIONS, TAKES_A_COPY, UNDO } from '../api/transitions';

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
  'wrapping-up': 'Last round',
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
  'wrapping-up': 'Wrapping up:',
  'move-up': 'Moved up:',
  'move-down': 'Moved down:',
};

/** Moves that put a party out of the queue: asked for twice on a touch screen (a mis-tap is easy). */
export const DESTRUCTIVE: ReadonlySet<Transition> = new Set<Transition>(['cancel', 'no-show']);

/** The moves a row in the live queue shows as buttons of its own; the steps back live in the undo toast and the ended list. */
export const ROW_ACTIONS: ReadonlySet<Transition> = new Set<Transition>(['call', 'seat', 'wrapping-up', 'finish', 'no-show', 'cancel', 'extend-hold']);
/** Moving a waiting party up or down: small buttons beside its position. */
export const PLACE_ACTIONS: ReadonlySet<Transition> = new Set<Transition>(['move-up', 'move-down']);

/** The move that takes `action` back, or null when it has none. */
export function undoOf(action: Transition): Transition | null {
  return UNDO[action] ?? null;
}


/** Why no copy can be lent right now, or null when one is free. */
function noFreeCopy(game: { copies: number; copiesInUse: number }): string | null {
  if (game.copiesInUse >= game.copies) return game.copies === 0 ? 'No copies to lend' : 'All copies are in use';
  return null;
}

/** Why "Call next" cannot work right now, or null when it can. */
export function callNextBlocker(game: { copies: number; copiesInUse: number; waitingCount: number }): string | null {
  if (game.waitingCount === 0) return 'Nobody is waiting';
  return noFreeCopy(game);
}

/** Why a row's `action` cannot work right now (it takes a copy and none is free), or null. */
export function actionBlocker(status: ReservationStatus, action: Transition, game: { copies: number; copiesInUse: number }): string | null {
  return TAKES_A_COPY[status]?.includes(action) ? noFreeCopy(game) : null;
}

const parties = (n: number) => `${n} ${n === 1 ? 'party' : 'parties'}`;

/**
 * What saving `copies` would do to the people in the queue, said before saving; null when it
 * strands nobody (docs/SPEC.md#games-and-copies).
 */
export function copiesWarning(game: { title: string; copiesInUse: number; waitingCount: number }, copies: number): string | null {
  if (copies === 0 && game.waitingCount > 0) {
    return `${parties(game.waitingCount)} waiting for ${game.title}. With no copies nobody is called: they keep their place, their tickets and the TV say the game is not available right now, and new customers cannot join it.`;
  }
  if (copies < game.copiesInUse) {
    return `${game.copiesInUse} copies of ${game.title} are out, more than ${copies}: nobody is called until enough come back${game.waitingCount ? ` (${parties(game.waitingCount)} waiting)` : ''}.`;
  }
  return null;
}

/** Why a game cannot be deleted yet (parties still on the floor), or null. */
export function deleteGameBlocker(game: { title: string; calling: readonly unknown[]; waiting: readonly unknown[]; seated: readonly unknown[] } | undefined): string | null {
  const count = game ? game.calling.length + game.waiting.length + game.seated.length : 0;
  return game && count > 0
    ? `${game.title} cannot be deleted yet: ${parties(count)} waiting, called or seated. Finish or cancel them first.`
    : null;
}
