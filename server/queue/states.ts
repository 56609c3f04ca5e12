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

/**
 * The moves staff (and, for cancel, customers) ask for over HTTP. After the forward moves come
 * the ones that take a mistake back (undo now, or revert later), then the floor tools: a longer
 * hold, a table marked "wrapping up" (its last round), a no-show sent to the back of the queue, a
 * waiting party moved up or down.
 */
export const ACTIONS = [
  'call',
  'seat',
  'finish',
  'no_show',
  'cancel',
  'uncall',
  'unseat',
  'unfinish',
  'reinstate',
  'requeue',
  'extend_hold',
  'wrap_up',
  'move_up',
  'move_down',
] as const;
export type QueueAction = (typeof ACTIONS)[number];

/** Every move: the manual actions plus what the system and deletions do. */
export const MOVES = [...ACTIONS, 'auto_call', 'expire_hold', 'delete', 'close_out', 'close_out_seated'] as const;
export type Move = (typeof MOVES)[number];

/** A timestamp column a move sets to the database's clock. */
export type Stamp = 'calledAt' | 'seatedAt' | 'finishedAt' | 'wrappingUpAt';
/** A column a move empties (taking a step back forgets when the step was made). */
export type Cleared = Stamp | 'holdExpiresAt';

export interface MoveRule {
  from: readonly ReservationStatus[];
  /** the status after the move; null when the reservation is removed */
  to: ReservationStatus | null;
  /** timestamps set to the database's clock (`updatedAt` always is) */
  stamps: readonly Stamp[];
  /** columns set back to NULL */
  clears?: readonly Cleared[];
  /** the party's place in the queue: unchanged (its `queueAt` kept) unless the move says otherwise */
  place?: 'back' | 'up' | 'down';
  /** the running hold is made longer by the minutes staff ask for */
  extendsHold?: boolean;
  /** only so long after the party ended: `finished` within REVERT_FINISHED_MINUTES, the others while the ticket still resolves (a day) */
  window?: 'revert-finished' | 'live-ticket';
  /** the `type` of the event logged in `reservation_events` */
  event: string;
  /** who makes the move */
  by: 'staff' | 'staff or customer' | 'system';
  /** why the system made the move, logged with the event (`details.reason`) */
  reason?: string;
}

const ENDED: readonly ReservationStatus[] = ['no_show', 'cancelled'];

/**
 * The whole state machine: waiting → called → seated → finished, plus no_show, cancelled and
 * delete; each step back (uncall, unseat, unfinish, reinstate) and the floor tools are moves
 * like the others, applied under the same locks.
 */
export const TRANSITIONS: Record<Move, MoveRule> = {
  call: { from: ['waiting'], to: 'called', stamps: ['calledAt'], event: 'called', by: 'staff' },
  auto_call: { from: ['waiting'], to: 'called', stamps: ['calledAt'], event: 'called', by: 'system' },
  seat: { from: ['called'], to: 'seated', stamps: ['seatedAt'], event: 'seated', by: 'staff' },
  finish: { from: ['seated'], to: 'finished', stamps: ['finishedAt'], event: 'finished', by: 'staff' },
  no_show: { from: ['called'], to: 'no_show', stamps: ['finishedAt'], event: 'no_show', by: 'staff' },
  expire_hold: { from: ['called'], to: 'no_show', stamps: ['finishedAt'], event: 'no_show', by: 'system' },
  cancel: { from: ['waiting', 'called'], to: 'cancelled', stamps: ['finishedAt'], event: 'cancelled', by: 'staff or customer' },
  // Steps back: each is the undo of a forward move, and a revert staff may make later.
  uncall: { from: ['called'], to: 'waiting', stamps: [], clears: ['calledAt', 'holdExpiresAt'], event: 'uncalled', by: 'staff' },
  unseat: { from: ['seated'], to: 'called', stamps: [], clears: ['seatedAt', 'wrappingUpAt'], event: 'unseated', by: 'staff' },
  unfinish: { from: ['finished'], to: 'seated', stamps: [], clears: ['finishedAt'], window: 'revert-finished', event: 'unfinished', by: 'staff' },
  reinstate: {
    from: ENDED,
    to: 'waiting',
    stamps: [],
    clears: ['calledAt', 'holdExpiresAt', 'seatedAt', 'finishedAt'],
    window: 'live-ticket',
    event: 'reinstated',
    by: 'staff',
  },
  // Floor tools.
  requeue: {
    from: ['no_show'],
    to: 'waiting',
    stamps: [],
    clears: ['calledAt', 'holdExpiresAt', 'seatedAt', 'finishedAt'],
    place: 'back',
    window: 'live-ticket',
    event: 'requeued',
    by: 'staff',
  },
  extend_hold: { from: ['called'], to: 'called', stamps: [], extendsHold: true, event: 'hold_extended', by: 'staff' },
  // The table starts its last round: the parties behind it are told sooner (the estimate reads
  // the mark). Pressed again, it moves the mark to now.
  wrap_up: { from: ['seated'], to: 'seated', stamps: ['wrappingUpAt'], event: 'wrapping_up', by: 'staff' },
  move_up: { from: ['waiting'], to: 'waiting', stamps: [], place: 'up', event: 'moved_up', by: 'staff' },
  move_down: { from: ['waiting'], to: 'waiting', stamps: [], place: 'down', event: 'moved_down', by: 'staff' },
  delete: { from: STATUSES, to: null, stamps: [], event: 'deleted', by: 'staff' },
  // The end-of-day close-out (server/closeout): nobody left waiting or called will be seated
  // tonight, so both are cancelled (a called party is not a no-show: the café closed on them);
  // a party still playing has finished.
  close_out: { from: ['waiting', 'called'], to: 'cancelled', stamps: ['finishedAt'], event: 'cancelled', by: 'system', reason: 'closed' },
  close_out_seated: { from: ['seated'], to: 'finished', stamps: ['finishedAt'], event: 'finished', by: 'system', reason: 'closed' },
};

/** The move that takes each forward action back (the undo toast); the server judges it like any other. */
export const UNDO: Partial<Record<QueueAction, QueueAction>> = {
  call: 'uncall',
  seat: 'unseat',
  finish: 'unfinish',
  no_show: 'reinstate',
  cancel: 'reinstate',
  move_up: 'move_down',
  move_down: 'move_up',
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
  /** the party is (back) in the queue: if a copy is free it may be owed a call */
  entersQueue: boolean;
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
    entersQueue: from !== 'waiting' && to === 'waiting',
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
  uncall: 'sent back to waiting',
  unseat: 'put back to called',
  unfinish: 'put back to seated',
  reinstate: 'put back in the queue',
  requeue: 'sent to the back of the queue',
  extend_hold: 'given more time',
  wrap_up: 'marked as wrapping up',
  move_up: 'moved up',
  move_down: 'moved down',
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
  const allowed = rule.from.map((s) => STATUS_WORDS[s]).join(' or ');
  const now = isTerminal(status) ? `this one is already ${STATUS_WORDS[status]}` : `this one is ${STATUS_WORDS[status]}`;
  return `Only a ${allowed} party can be ${MOVE_WORDS[move]}; ${now}`;
}

/** How long an ended ticket code still resolves (repository.ts releases it after a day). */
const LIVE_TICKET_MS = 24 * 60 * 60_000;

/**
 * Why a step back comes too late (a Conflict saying so), or null: a finished party only within
 * the revert window, an ended one only while its ticket code still resolves (the code is
 * released a day after).
 */
export function whyTooLate(
  move: Move,
  party: { finishedAt: Date | null; liveCode: string | null },
  now: Date,
  revertFinishedMs: number,
): Conflict | null {
  const { window } = TRANSITIONS[move];
  const ticketGone = party.liveCode === null || (party.finishedAt !== null && now.getTime() - party.finishedAt.getTime() > LIVE_TICKET_MS);
  if (window === 'live-ticket' && ticketGone) {
    return new Conflict('This ticket ended over a day ago and its code was released; ask the party to join again', { precise: { code: 'ticket_released' } });
  }
  if (window === 'revert-finished' && (!party.finishedAt || now.getTime() - party.finishedAt.getTime() > revertFinishedMs)) {
    const minutes = Math.round(revertFinishedMs / 60_000);
    return new Conflict(`A finished game can be put back to seated for ${minutes} minutes only; this one finished earlier`, {
      precise: { code: 'revert_window_passed', params: { minutes } },
    });
  }
  return null;
}

/** The status after `move`, or a Conflict that says why the move is illegal. */
export function nextStatus(status: ReservationStatus, move: Move): ReservationStatus | null {
  const reason = whyIllegal(status, move);
  if (reason) throw new Conflict(reason, { precise: { code: 'illegal_move', params: { move, status } } });
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
