import { Conflict } from '../errors';

export const STATUSES = ['waiting', 'called', 'seated', 'finished', 'no_show', 'cancelled'] as const;
export type ReservationStatus = (typeof STATUSES)[number];

/** Statuses that hold one of the game's physical copies. */
export const USING_A_COPY: readonly ReservationStatus[] = ['called', 'seated'];
/** Statuses that still belong on a queue screen. */
export const ACTIVE: readonly ReservationStatus[] = ['waiting', 'called', 'seated'];
export const TERMINAL: readonly ReservationStatus[] = ['finished', 'no_show', 'cancelled'];

export const ACTIONS = ['call', 'seat', 'finish', 'no_show', 'cancel'] as const;
export type QueueAction = (typeof ACTIONS)[number];

interface Transition {
  from: readonly ReservationStatus[];
  to: ReservationStatus;
}

/** The whole state machine: waiting → called → seated → finished, plus no_show and cancelled. */
export const TRANSITIONS: Record<QueueAction, Transition> = {
  call: { from: ['waiting'], to: 'called' },
  seat: { from: ['called'], to: 'seated' },
  finish: { from: ['seated'], to: 'finished' },
  no_show: { from: ['called'], to: 'no_show' },
  cancel: { from: ['waiting', 'called'], to: 'cancelled' },
};

const STATUS_WORDS: Record<ReservationStatus, string> = {
  waiting: 'waiting',
  called: 'called',
  seated: 'seated',
  finished: 'finished',
  no_show: 'a no-show',
  cancelled: 'cancelled',
};

const ACTION_WORDS: Record<QueueAction, string> = {
  call: 'called',
  seat: 'seated',
  finish: 'finished',
  no_show: 'marked as a no-show',
  cancel: 'cancelled',
};

export function isTerminal(status: ReservationStatus): boolean {
  return TERMINAL.includes(status);
}

export function legalActions(status: ReservationStatus): QueueAction[] {
  return ACTIONS.filter((action) => TRANSITIONS[action].from.includes(status));
}

/** Why `action` is not allowed from `status`, or null when it is. */
export function whyIllegal(status: ReservationStatus, action: QueueAction): string | null {
  const transition = TRANSITIONS[action];
  if (transition.from.includes(status)) return null;
  if (isTerminal(status)) {
    return `This reservation is already ${STATUS_WORDS[status]}; an ended reservation never changes`;
  }
  const allowed = transition.from.map((s) => STATUS_WORDS[s]).join(' or ');
  return `Only a ${allowed} party can be ${ACTION_WORDS[action]}; this one is ${STATUS_WORDS[status]}`;
}

/** The status after `action`, or a Conflict that says why the transition is illegal. */
export function nextStatus(status: ReservationStatus, action: QueueAction): ReservationStatus {
  const reason = whyIllegal(status, action);
  if (reason) throw new Conflict(reason);
  return TRANSITIONS[action].to;
}

export function freeCopies(copies: number, copiesInUse: number): number {
  return Math.max(0, copies - copiesInUse);
}
