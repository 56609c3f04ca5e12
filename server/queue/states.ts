import { Conflict } from '../errors';

/**
 * The queue's state machine, in one table: every move a reservation can make, by staff, by a
 * customer or by the system, and what each move does. `transition()` in `transition.ts` is the
 * only code that applies a move; the client's buttons are generated from this table
 * (`npm run api:types` writes `client/src/api/transitions.ts`).
 */

export const STATUSES = ['waiting', 'called', 'seated', 'finished', 'no_show', 'cancelled'] as const;
export type ReservationStatus = (typeof STATUSES)[number];

/** Statuses that hold one of the game's physical copies. */
export const USING_A_COPY: readonly ReservationStatus[] = ['called', 'seated'];
/** Statuses that still belong on a queue screen. */
export const ACTIVE: readonly ReservationStatus[] = ['waiting', 'called', 'seated'];
export const TERMINAL: readonly ReservationStatus[] = ['finished', 'no_show', 'cancelled'];

/** The moves staff (and, for cancel, customers) ask for over HTTP. */
export const ACTIONS = ['call', 'seat', 'finish', 'no_show', 'cancel'] as const;
export type QueueAction = (typeof ACTIONS)[number];

/** Every move: the manual actions plus what the system and deletions do. */
export const MOVES = [...ACTIONS, 'auto_call', 'expire_hold', 'delete', 'close_out', 'close_out_seated'] as const;
export type Move = (typeof MOVES)[number];

/** A timestamp column a move sets to the database's clock. */
export type Stamp = 'calledAt' | 'seatedAt' | 'finishedAt';

export interface MoveRule {
  from: readonly ReservationStatus[];
  /** the status after the move; null when the reservation is removed */
  to: ReservationStatus | null;
  /** timestamps set to the database's clock (`updatedAt` always is) */
  stamps: readonly Stamp[];
  /** the `type` of the event logged in `reservation_events` */
  event: string;
  /** who makes the move */
  by: 'staff' | 'staff or customer' | 'system';
  /** why the system made the move, logged with the event (`details.reason`) */
  reason?: string;
}

/** The whole state machine: waiting → called → seated → finished, plus no_show, cancelled and delete. */
export const TRANSITIONS: Record<Move, MoveRule> = {
  call: { from: ['waiting'], to: 'called', stamps: ['calledAt'], event: 'called', by: 'staff' },
  auto_call: { from: ['waiting'], to: 'called', stamps: ['calledAt'], event: 'called', by: 'system' },
  seat: { from: ['called'], to: 'seated', stamps: ['seatedAt'], event: 'seated', by: 'staff' },
  finish: { from: ['seated'], to: 'finished', stamps: ['finishedAt'], event: 'finished', by: 'staff' },
  no_show: { from: ['called'], to: 'no_show', stamps: ['finishedAt'], event: 'no_show', by: 'staff' },
  expire_hold: { from: ['called'], to: 'no_show', stamps: ['finishedAt'], event: 'no_show', by: 'system' },
  cancel: { from: ['waiting', 'called'], to: 'cancelled', stamps: ['finishedAt'], event: 'cancelled', by: 'staff or customer' },
  delete: { from: STATUSES, to: null, stamps: [], event: 'deleted', by: 'staff' },
  // The end-of-day close-out (server/closeout): nobody left waiting or called will be seated
  // tonight, so both are cancelled (a called party is not a no-show: the café closed on them);
  // a party still playing has finished.
  close_out: { from: ['waiting', 'called'], to: 'cancelled', stamps: ['finishedAt'], event: 'cancelled', by: 'system', reason: 'closed' },
  close_out_seated: { from: ['seated'], to: 'finished', stamps: ['finishedAt'], event: 'finished', by: 'system', reason: 'closed' },
};

/** What a move from one status does to the game's copies and to the party's hold. */
export interface Consequences {
  /** the party now holds a copy (a call): there must be a free one */
  takesCopy: boolean;
  /** the party gave its copy back: the next party may be owed a call */
  freesCopy: boolean;
  /** a hold starts: `holdExpiresAt` is set and an expiry job is scheduled */
  startsHold: boolean;
  /** the party was called and no longer is: its expiry job is cancelled */
  endsHold: boolean;
}

/** Copies and holds follow from the statuses alone: only called and seated parties hold a copy. */
export function consequencesOf(from: ReservationStatus, move: Move): Consequences {
  const { to } = TRANSITIONS[move];
  const held = USING_A_COPY.includes(from);
  const holds = to !== null && USING_A_COPY.includes(to);
  return {
    takesCopy: !held && holds,
    freesCopy: held && !holds,
    startsHold: from !== 'called' && to === 'called',
    endsHold: from === 'called' && to !== 'called',
  };
}

const STATUS_WORDS: Record<ReservationStatus, string> = {
  waiting: 'waiting',
  called: 'called',
  seated: 'seated',
  finished: 'finished',
  no_show: 'a no-show',
  cancelled: 'cancelled',
};

const MOVE_WORDS: Record<Move, string> = {
  call: 'called',
  auto_call: 'called',
  seat: 'seated',
  finish: 'finished',
  no_show: 'marked as a no-show',
  expire_hold: 'marked as a no-show',
  cancel: 'cancelled',
  delete: 'deleted',
  close_out: 'cancelled at closing',
  close_out_seated: 'finished at closing',
};

export function isTerminal(status: ReservationStatus): boolean {
  return TERMINAL.includes(status);
}

/** The actions staff can take on a party in `status` (the buttons on its row). */
export function legalActions(status: ReservationStatus): QueueAction[] {
  return ACTIONS.filter((action) => TRANSITIONS[action].from.includes(status));
}

/** Why `move` is not allowed from `status`, or null when it is. */
export function whyIllegal(status: ReservationStatus, move: Move): string | null {
  const rule = TRANSITIONS[move];
  if (rule.from.includes(status)) return null;
  if (isTerminal(status)) {
    return `This reservation is already ${STATUS_WORDS[status]}; an ended reservation never changes`;
  }
  const allowed = rule.from.map((s) => STATUS_WORDS[s]).join(' or ');
  return `Only a ${allowed} party can be ${MOVE_WORDS[move]}; this one is ${STATUS_WORDS[status]}`;
}

/** The status after `move`, or a Conflict that says why the move is illegal. */
export function nextStatus(status: ReservationStatus, move: Move): ReservationStatus | null {
  const reason = whyIllegal(status, move);
  if (reason) throw new Conflict(reason);
  return TRANSITIONS[move].to;
}

/** Decides a move: what it does to copies and holds, or a Conflict that says why it is illegal. */
export function decide(status: ReservationStatus, move: Move): Consequences {
  nextStatus(status, move);
  return consequencesOf(status, move);
}

export function freeCopies(copies: number, copiesInUse: number): number {
  return Math.max(0, copies - copiesInUse);
}
