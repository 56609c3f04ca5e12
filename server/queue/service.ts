import { timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { Conflict, Forbidden, NotFound } from '../errors';
import type { Game } from '../models/Game';
import type { Reservation } from '../models/Reservation';
import { afterCommit } from './effects';
import { hashSecret, JoinWriter, type JoinInput, type Joined } from './joins';
import { loadQueues, toReservationView, viewReservation, type ReservationView } from './readModel';
import * as repo from './repository';
import { transition } from './transition';
import { decide, freeCopies, type QueueAction } from './states';

/**
 * The queue's use cases. Each reads the same way: lock (the game row, then the reservation) →
 * decide (the transition table in `states.ts`) → save (`transition()` and `repository.ts`) →
 * after-commit effects (`effects.ts`: screens, jobs, metrics).
 */

export const SYSTEM_ADVANCE = 'system:auto-advance';
export const SYSTEM_HOLD_EXPIRY = 'system:hold-expiry';

function requireFreeCopy(game: Game, inUse: number): void {
  if (freeCopies(game.copies, inUse) === 0) throw new Conflict(`No free copy of "${game.title}": all ${game.copies} in use`);
}

async function lockReservation(trx: Knex.Transaction, id: number) {
  const locked = await repo.lockReservation(trx, id);
  if (!locked) throw new NotFound('No reservation with that id');
  return locked;
}

const joinWriters = new WeakMap<AppContext, JoinWriter>();

/** The context's join writer (one per process), whose batches share their round trips. */
export function joinWriterOf(ctx: AppContext): JoinWriter {
  let writer = joinWriters.get(ctx);
  if (!writer) {
    writer = new JoinWriter(ctx.knex, {
      joined: (game, count, mayBeOwedACall) =>
        // Owed a call only if a copy is free once the join has committed; if none is,
        // whatever frees one later requests its own advance, and that job sees this party.
        afterCommit(ctx, {
          gameId: game.id,
          joined: count,
          mayAdvance: ctx.config.queue.autoAdvance && game.autoAdvance && mayBeOwedACall,
          affectsStats: false,
        }),
      readFailed: (err) => ctx.logger.error({ err }, 'joins committed, but the copies in use could not be read: answered without estimates'),
      quotesNotRecorded: (err) => ctx.logger.error({ err }, 'joins committed and answered, but their quoted waits could not be saved: left out of estimate accuracy'),
      codesRanOut: (err) => ctx.logger.error({ err }, 'joins refused: no free ticket code found after repeated draws'),
    });
    joinWriters.set(ctx, writer);
  }
  return writer;
}

/** A party joins a game's queue; answered once the join has committed. */
export function joinQueue(ctx: AppContext, gameId: number, input: JoinInput, actor: string): Promise<Joined> {
  return joinWriterOf(ctx).join(gameId, input, actor);
}

/** call, seat, finish, no_show or cancel one reservation, guarded by the game's row lock. */
export async function applyAction(ctx: AppContext, id: number, action: QueueAction, actor: string): Promise<ReservationView> {
  const { rows, effects } = await repo.inTransaction(ctx.knex, async (trx) => {
    const { game, reservation } = await lockReservation(trx, id);
    if (decide(reservation.status, action).takesCopy) requireFreeCopy(game, await repo.copiesInUse(trx, game.id));
    return transition(trx, [reservation], action, actor, ctx.config.queue.holdMs);
  });
  await afterCommit(ctx, effects);
  return viewReservation(ctx.knex, rows[0]!);
}

/** Staff "call next": the head of the queue, when a copy is free, however many tablets press at once. */
export async function callNextParty(ctx: AppContext, gameId: number, actor: string): Promise<ReservationView> {
  const { rows, effects } = await repo.inTransaction(ctx.knex, async (trx) => {
    const game = await repo.lockExistingGame(trx, gameId);
    requireFreeCopy(game, await repo.copiesInUse(trx, gameId));
    const heads = await repo.lockQueueHeads(trx, gameId, 1);
    if (!heads.length) throw new Conflict(`Nobody is waiting for "${game.title}"`);
    return transition(trx, heads, 'call', actor, ctx.config.queue.holdMs);
  });
  await afterCommit(ctx, effects);
  return toReservationView(rows[0]!);
}

/** Auto-advance: call the head of the queue for every free copy, when the game allows it. */
export async function advanceGame(ctx: AppContext, gameId: number): Promise<Reservation[]> {
  if (!ctx.config.queue.autoAdvance) return [];
  const done = await repo.inTransaction(ctx.knex, async (trx) => {
    const game = await repo.lockGame(trx, gameId);
    if (!game || !game.active || !game.autoAdvance) return null;
    const heads = await repo.lockQueueHeads(trx, gameId, freeCopies(game.copies, await repo.copiesInUse(trx, gameId)));
    return heads.length ? transition(trx, heads, 'auto_call', SYSTEM_ADVANCE, ctx.config.queue.holdMs) : null;
  });
  if (!done) return [];
  await afterCommit(ctx, done.effects);
  return done.rows;
}

export type HoldOutcome = 'expired' | 'not-yet' | 'nothing-to-do';

/**
 * A hold ran out: the called party becomes a no-show and the next party is owed a call.
 * Idempotent: a party already seated (or gone) is left alone; a job that fires early (clocks
 * differ slightly) hears when the hold really ends.
 */
export async function expireHold(ctx: AppContext, reservationId: number): Promise<{ outcome: HoldOutcome; holdExpiresAt?: Date }> {
  const result = await repo.inTransaction(ctx.knex, async (trx) => {
    const locked = await repo.lockReservation(trx, reservationId);
    const reservation = locked?.reservation;
    if (!reservation || reservation.status !== 'called' || !reservation.holdExpiresAt) return { outcome: 'nothing-to-do' as const };
    if (reservation.holdExpiresAt > (await repo.databaseNow(trx))) return { outcome: 'not-yet' as const, holdExpiresAt: reservation.holdExpiresAt };
    const { effects } = await transition(trx, [reservation], 'expire_hold', SYSTEM_HOLD_EXPIRY, ctx.config.queue.holdMs);
    return { outcome: 'expired' as const, effects };
  });
  if (result.outcome === 'expired') await afterCommit(ctx, result.effects);
  return { outcome: result.outcome, holdExpiresAt: 'holdExpiresAt' in result ? result.holdExpiresAt : undefined };
}

/** A customer leaves the queue with the secret they got when joining. */
export async function cancelByCustomer(ctx: AppContext, code: string, secret: string): Promise<ReservationView> {
  const found = await repo.findByCode(ctx.knex, code);
  if (!found) throw new NotFound('No ticket with that code');
  const expected = Buffer.from(found.secretHash, 'hex');
  const given = Buffer.from(hashSecret(secret), 'hex');
  if (!timingSafeEqual(expected, given)) throw new Forbidden('That secret does not match this ticket');
  if (found.status === 'seated') throw new Conflict('You are already seated; ask staff to finish your game');
  return applyAction(ctx, found.id, 'cancel', 'customer');
}

export type ReservationPatch = repo.DetailsPatch;

/** Fixes a party's details; never touches enqueuedAt, so never changes the order. */
export async function updateReservation(ctx: AppContext, id: number, patch: ReservationPatch, actor: string): Promise<ReservationView> {
  const updated = await repo.inTransaction(ctx.knex, async (trx) => {
    const { reservation } = await lockReservation(trx, id);
    const saved = await repo.saveDetails(trx, id, patch);
    await repo.logEvents(trx, [{ reservation: saved, type: 'updated', from: reservation.status, to: saved.status, actor }]);
    return saved;
  });
  await afterCommit(ctx, { gameId: updated.gameId, affectsStats: false });
  return viewReservation(ctx.knex, updated);
}

/** Removes a reservation outright (a mistake); cancel keeps history instead. */
export async function deleteReservation(ctx: AppContext, id: number, actor: string): Promise<void> {
  const { effects } = await repo.inTransaction(ctx.knex, async (trx) => {
    const { reservation } = await lockReservation(trx, id);
    return transition(trx, [reservation], 'delete', actor, ctx.config.queue.holdMs);
  });
  await afterCommit(ctx, effects);
}

/** Staff's list of reservations in queue order; waiting parties carry their live position and estimate. */
export async function listReservations(ctx: AppContext, filter: repo.ReservationFilter): Promise<ReservationView[]> {
  const rows = await repo.listReservations(ctx.knex, filter);
  const waitingGames = [...new Set(rows.filter((r) => r.status === 'waiting').map((r) => r.gameId))];
  const live = new Map<number, ReservationView>();
  for (const queue of waitingGames.length ? await loadQueues(ctx.knex, waitingGames) : []) {
    for (const w of queue.waiting) live.set(w.id, w);
  }
  return rows.map((r) => live.get(r.id) ?? toReservationView(r));
}

/** One reservation as staff see it. */
export async function getReservation(ctx: AppContext, id: number): Promise<ReservationView> {
  const reservation = await repo.findReservation(ctx.knex, id);
  if (!reservation) throw new NotFound('No reservation with that id');
  return viewReservation(ctx.knex, reservation);
}
