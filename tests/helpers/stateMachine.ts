import type { QueueAction, ReservationStatus } from '../../server/queue/states';

/** The state machine as docs/SPEC.md#states-and-transitions words it, written out independently of TRANSITIONS. */
export const LEGAL: Record<ReservationStatus, Partial<Record<QueueAction, ReservationStatus>>> = {
  waiting: { call: 'called', cancel: 'cancelled', move_up: 'waiting', move_down: 'waiting' },
  called: { seat: 'seated', no_show: 'no_show', cancel: 'cancelled', uncall: 'waiting', extend_hold: 'called' },
  seated: { finish: 'finished', unseat: 'called', wrap_up: 'seated' },
  finished: { unfinish: 'seated' },
  no_show: { reinstate: 'waiting', requeue: 'waiting' },
  cancelled: { reinstate: 'waiting' },
};

/** Each action's HTTP path, POST /api/reservations/:id/<path> (docs/API.md). */
export const PATH: Record<QueueAction, string> = {
  call: 'call',
  seat: 'seat',
  finish: 'finish',
  no_show: 'no-show',
  cancel: 'cancel',
  uncall: 'uncall',
  unseat: 'unseat',
  unfinish: 'unfinish',
  reinstate: 'reinstate',
  requeue: 'requeue',
  extend_hold: 'extend-hold',
  wrap_up: 'wrapping-up',
  move_up: 'move-up',
  move_down: 'move-down',
};
