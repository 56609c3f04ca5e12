import type { QueueAction, ReservationStatus } from '../../server/queue/states';

/** The state machine as docs/SPEC.md#states-and-transitions words it, written out independently of TRANSITIONS. */
export const LEGAL: Record<ReservationStatus, Partial<Record<QueueAction, ReservationStatus>>> = {
  waiting: { call: 'called', cancel: 'cancelled' },
  called: { seat: 'seated', no_show: 'no_show', cancel: 'cancelled' },
  seated: { finish: 'finished' },
  finished: {},
  no_show: {},
  cancelled: {},
};

