// Which buttons a staff row shows: the server's transition table, generated into
// api/transitions.ts, so staff are never offered a move that can only end in a 409; the server
// stays the judge. The undo of each action comes from the same generated file.

import type { ReservationStatus, Transition } from '../api/types';
import { LEGAL_ACTIONS, TAKES_A_COPY, UNDO } from '../api/transitions';
import { i18n } from '../i18n';

const t = i18n.global.t;

export function legalActions(status: ReservationStatus): readonly Transition[] {
  return LEGAL_ACTIONS[status] ?? [];
}

// A record so that a new move is a compile error here until it has its words.
const EVERY_TRANSITION: Record<Transition, true> = {
  call: true, seat: true, 'wrapping-up': true, finish: true, 'no-show': true, cancel: true, uncall: true, unseat: true,
  unfinish: true, reinstate: true, requeue: true, 'extend-hold': true, 'move-up': true, 'move-down': true,
};
const TRANSITIONS = Object.keys(EVERY_TRANSITION) as Transition[];

/** A Record whose values are looked up in the catalogue when read, so they follow the language. */
function words(lookup: (action: Transition) => string): Record<Transition, string> {
  return Object.defineProperties(
    {},
    Object.fromEntries(TRANSITIONS.map((action) => [action, { get: () => lookup(action), enumerable: true }])),
  ) as Record<Transition, string>;
}

/** The buttons' labels. */
export const actionLabels = words((action) => t(`actions.label.${action}`));

/** Words for screen readers and toasts where the label is a symbol or too short. */
export const actionNames = words((action) => t(`actions.name.${action}`));

/** What the toast says once an action went through: "Called R001 Alex Rivera." */
export function actionDone(action: Transition, who: string): string {
  return t(`actions.done.${action}`, { who });
}

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
  if (game.copiesInUse >= game.copies) return game.copies === 0 ? t('actions.noCopies') : t('actions.allInUse');
  return null;
}

/** Why "Call next" cannot work right now, or null when it can. */
export function callNextBlocker(game: { copies: number; copiesInUse: number; waitingCount: number }): string | null {
  if (game.waitingCount === 0) return t('actions.nobodyWaiting');
  return noFreeCopy(game);
}

/** Why a row's `action` cannot work right now (it takes a copy and none is free), or null. */
export function actionBlocker(status: ReservationStatus, action: Transition, game: { copies: number; copiesInUse: number }): string | null {
  return TAKES_A_COPY[status]?.includes(action) ? noFreeCopy(game) : null;
}

const parties = (n: number) => t('actions.parties', { n }, n);

/**
 * What saving `copies` would do to the people in the queue, said before saving; null when it
 * strands nobody (docs/SPEC.md#games-and-copies).
 */
export function copiesWarning(game: { title: string; copiesInUse: number; waitingCount: number }, copies: number): string | null {
  if (copies === 0 && game.waitingCount > 0) {
    return t('actions.noCopiesWarning', { parties: parties(game.waitingCount), game: game.title });
  }
  if (copies < game.copiesInUse) {
    return game.waitingCount
      ? t('actions.fewerCopiesWaiting', { out: game.copiesInUse, game: game.title, copies, parties: parties(game.waitingCount) })
      : t('actions.fewerCopies', { out: game.copiesInUse, game: game.title, copies });
  }
  return null;
}

/** Why a game cannot be deleted yet (parties still on the floor), or null. */
export function deleteGameBlocker(game: { title: string; calling: readonly unknown[]; waiting: readonly unknown[]; seated: readonly unknown[] } | undefined): string | null {
  const count = game ? game.calling.length + game.waiting.length + game.seated.length : 0;
  return game && count > 0
    ? t('actions.cannotDelete', { game: game.title, parties: parties(count) })
    : null;
}
