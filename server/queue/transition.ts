import type { Knex } from 'knex';
import { Conflict } from '../errors';
import type { Reservation } from '../models/Reservation';
import type { Effects } from './effects';
import { swapPlaces } from './ordering';
import { logEvents, deleteReservations, lockWaiting, saveMove, savePlaces } from './repository';
import { decide, isTerminal, TRANSITIONS, type Move, type ReservationStatus } from './states';
import { dropSubscriptionsOf } from '../notify/repository';

export interface Transitioned {
  /** the reservations as saved (as they were, for a delete) */
  rows: Reservation[];
  /** what must follow the commit: see `afterCommit()` */
  effects: Effects;
}

/** The lengths a move may need: the hold it starts, and the minutes staff add to one. */
export interface HoldLengths {
  holdMs: number;
  extendMs?: number;
}

/**
 * A waiting party swaps places with its neighbour (see `swapPlaces()`); the whole waiting list
 * is locked first, so two tablets moving parties of one game at once apply one after the other.
 */
async function movePlace(trx: Knex.Transaction, party: Reservation, direction: 'up' | 'down'): Promise<Record<string, unknown>> {
  const waiting = await lockWaiting(trx, party.gameId);
  const places = swapPlaces(waiting, party.id, direction);
  if (!places) {
    throw direction === 'up'
      ? new Conflict('This party is already first in the queue', { precise: { code: 'already_first' } })
      : new Conflict('This party is already last in the queue', { precise: { code: 'already_last' } });
  }
  await savePlaces(trx, places);
  const position = waiting.findIndex((r) => r.id === party.id) + 1;
  return { fromPosition: position, toPosition: direction === 'up' ? position - 1 : position + 1 };
}

/**
 * The one place a reservation changes status: applies `move` (see `TRANSITIONS`) to locked
 * reservations of one game, all in the same status. Checks the move is legal (a Conflict
 * saying why if not), saves the status, the move's timestamps and emptied columns, starts or
 * extends the hold, changes the place in the queue when the move does, logs one event per
 * party, and says what must follow the commit. The caller holds the game's row lock and has
 * checked the game-level guard (a free copy) and the revert window.
 */
export async function transition(
  trx: Knex.Transaction,
  reservations: readonly Reservation[],
  move: Move,
  actor: string,
  lengths: number | HoldLengths,
): Promise<Transitioned> {
  const { holdMs, extendMs } = typeof lengths === 'number' ? { holdMs: lengths, extendMs: undefined } : lengths;
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
    const details: Record<string, unknown> = {};
    if (rule.place === 'up' || rule.place === 'down') {
      if (reservations.length !== 1) throw new Error(`transition(${move}) moves one party at a time`);
      Object.assign(details, await movePlace(trx, reservations[0]!, rule.place));
    }
    if (rule.reason) details.reason = rule.reason;
    if (rule.extendsHold) details.minutes = Math.round((extendMs ?? 0) / 60_000);
    rows = await saveMove(trx, ids, { ...rule, to }, {
      startsHoldMs: consequences.startsHold ? holdMs : undefined,
      extendsHoldMs: rule.extendsHold ? extendMs : undefined,
    });
    // A finished party is never pushed to again (a deleted one loses them by cascade). A no-show
    // or cancelled one keeps its phones, unused, while staff may still reinstate it: the ended
    // ticket is never pushed to (deliverNotification), and housekeeping drops them with its code.
    if (isTerminal(to) && !TRANSITIONS.reinstate.from.includes(to)) await dropSubscriptionsOf(trx, ids);
    await logEvents(
      trx,
      rows.map((r) => ({
        reservation: r,
        type: rule.event,
        from,
        to,
        actor,
        // How long the party waited, for today's numbers: from joining to its first call.
        waitMs: consequences.startsHold && from === 'waiting' ? r.calledAt!.getTime() - r.enqueuedAt.getTime() : null,
        details: Object.keys(details).length ? details : null,
      })),
    );
  }

  return {
    rows,
    effects: {
      gameId: reservations[0]!.gameId,
      called: consequences.startsHold ? rows : [],
      recalled: consequences.startsHold && from !== 'waiting',
      endedHolds: consequences.endsHold ? rows : [],
      removed: rule.to === null ? rows : [],
      mayAdvance: consequences.freesCopy || consequences.entersQueue,
      noShows: rule.to === 'no_show' ? rows.length : 0,
      finished: rule.to === 'finished' || from === 'finished',
    },
  };
}
