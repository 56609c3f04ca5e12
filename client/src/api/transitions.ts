// GENERATED FILE, do not edit by hand. Source: TRANSITIONS in server/queue/states.ts and
// ACTION_PATHS in server/queue/routes.ts. Regenerate with `npm run api:types`;
// tests/client/api-contract.test.ts fails while this file is out of date.

import type { ReservationStatus, Transition } from './types';

/** The actions staff may take on a party in each status: the server's state machine. */
export const LEGAL_ACTIONS: Record<ReservationStatus, readonly Transition[]> = {
  waiting: ['call', 'cancel'],
  called: ['seat', 'no-show', 'cancel'],
  seated: ['finish'],
  finished: [],
  no_show: [],
  cancelled: [],
};

/** The actions that take one of the game's copies (the server refuses them while none is free). */
export const TAKES_A_COPY: Record<ReservationStatus, readonly Transition[]> = {
  waiting: ['call'],
  called: [],
  seated: [],
  finished: [],
  no_show: [],
  cancelled: [],
};
