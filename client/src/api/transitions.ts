// GENERATED FILE, do not edit by hand. Source: TRANSITIONS in server/queue/states.ts and
// ACTION_PATHS in server/queue/routes.ts. Regenerate with `npm run api:types`;
// tests/client/api-contract.test.ts fails while this file is out of date.

import type { ReservationStatus, Transition } from './types';

/** The actions staff may take on a party in each status: the server's state machine. */
export const LEGAL_ACTIONS: Record<ReservationStatus, readonly Transition[]> = {
  waiting: ['call', 'cancel', 'move-up', 'move-down'],
  called: ['seat', 'no-show', 'cancel', 'uncall', 'extend-hold'],
  seated: ['finish', 'unseat', 'wrapping-up'],
  finished: ['unfinish'],
  no_show: ['reinstate', 'requeue'],
  cancelled: ['reinstate'],
};

/** The actions that take one of the game's copies (the server refuses them while none is free). */
export const TAKES_A_COPY: Record<ReservationStatus, readonly Transition[]> = {
  waiting: ['call'],
  called: [],
  seated: [],
  finished: ['unfinish'],
  no_show: [],
  cancelled: [],
};

/** The move that takes each action back (the undo toast); the server judges it like any other. */
export const UNDO: Partial<Record<Transition, Transition>> = {
  'call': 'uncall',
  'seat': 'unseat',
  'finish': 'unfinish',
  'no-show': 'reinstate',
  'cancel': 'reinstate',
  'move-up': 'move-down',
  'move-down': 'move-up',
};
