import type { Knex } from 'knex';
import type { Reservation } from '../models/Reservation';
import type { Effects } from './effects';
import { logEvents, deleteReservations, saveMove } from './repository';
import { decide, isTerminal, TRANSITIONS, type Move, type ReservationStatus } from './states';
import { dropSubscriptionsOf } from '../notify/repository';

export interface Transitioned {
  /** the reservations as saved (as they were, for a delete) */
  rows: Reservation[];
  /** what must follow the commit: see `afterCommit()` */
  effects: Effects;
}

/**
 * The one place a reservation changes status: applies `move` (see `TRANSITIONS`) to locked
 * reservations of one game, all in the same status. Checks the move is legal (a Conflict
 * saying why if not), saves the status and the move's timestamps, starts the hold when the
 * move calls a party, logs one event per party, and says what must follow the commit.
 * The caller holds the game's row lock and has checked the game-level guard (a free copy).
 */
export async function transition(
  trx: Knex.Transaction,
  reservations: readonly Reservation[],
  move: Move,
  actor: string,
  holdMs: number,
): Promise<Transitioned> {
  const from: ReservationStatus = reservations[0]!.status;
  if (reservations.some((r) => r.status !== from)) throw new Error(`transition(${move}) got parties in different statuses`);
  const consequences = decide(from, move);
  const rule = TRANSITIONS[move];
  const ids = reservations.map((r) => r.id);

  let rows: Reservation[];
  if (rule.to === null) {
    await logEvents(trx, reservations.map((r) => ({ reservation: r, type: rule.event, from, to: from, actor })));
    await deleteReservations(trx, ids);
    rows = [...reservations];
  } else {
    const to = rule.to;
    rows = await saveMove(trx, ids, { ...rule, to }, consequences.startsHold ? { startsMs: holdMs } : null);
    // An ended ticket is never pushed to again (a deleted one loses them by cascade).
    if (isTerminal(to)) await dropSubscriptionsOf(trx, ids);
    await logEvents(
      trx,
      rows.map((r) => ({
        reservation: r,
        type: rule.event,
        from,
        to,
        actor,
        // How long the party waited, for today's numbers: from joining to being called.
        waitMs: consequences.startsHold ? r.calledAt!.getTime() - r.enqueuedAt.getTime() : null,
        details: rule.reason ? JSON.stringify({ reason: rule.reason }) : null,
      })),
    );
  }

  return {
    rows,
    effects: {
      gameId: reservations[0]!.gameId,
      called: consequences.startsHold ? rows : [],
      endedHolds: consequences.endsHold ? rows : [],
      removed: rule.to === null ? rows : [],
      mayAdvance: consequences.freesCopy,
      noShows: rule.to === 'no_show' ? rows.length : 0,
      finished: rule.to === 'finished',
    },
  };
}
