import { timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { Conflict, Forbidden, NotFound } from '../errors';
import type { Game } from '../models/Game';
import type { Reservation } from '../models/Reservation';
import { afterCommit } from './effects';
import { checkPartySize } from './joinRules';
import { displayName } from './ordering';
import { hashSecret, JoinWriter, type JoinInput, type Joined } from './joins';
import { loadQueues, toReservationView, viewReservation, type ReservationView } from './readModel';
import * as repo from './repository';
import { transition } from './transition';
import { refuseJoinWhenClosed } from '../settings/openingHours';
import { decide, freeCopies, isTerminal, TRANSITIONS, whyTooLate, type QueueAction } from './states';

/**
 * The queue's use cases. Each reads the same way: lock (the game row, then the reservation) →
 * decide (the transition table in `states.ts`) → save (`transition()` and `repository.ts`) →
 * after-commit effects (`effects.ts`: screens, jobs, metrics).
 */

export const SYSTEM_ADVANCE = 'system:auto-advance';
export const SYSTEM_HOLD_EXPIRY = 'system:hold-expiry';

function requireFreeCopy(game: Game, inUse: number): void {
  if (freeCopies(game.copies, inUse) === 0) throw new Conflict(`No free copy of "${game.title}": all ${game.copies} in use`, { precise: { code: 'no_free_copy', params: { title: game.title, copies: game.copies } } });
}

/**
 * A "Call next" pressed while the tablet showed a free copy (`seenInUse`), that finds none because
 * a party was called since (a colleague's tablet won the race, or auto-advance did), is told so,
 * rather than only that every copy is in use.
 */
const JUST_CALLED_MS = 10_000;

async function requireFreeCopyForNext(trx: Knex.Transaction, game: Game, seenInUse: number | undefined): Promise<void> {
  const inUse = await repo.copiesInUse(trx, game.id);
  if (freeCopies(game.copies, inUse) > 0) return;
  const recent = seenInUse !== undefined && inUse > seenInUse ? await repo.justCalled(trx, game.id, JUST_CALLED_MS) : undefined;
  if (recent) {
    const name = displayName(recent.customerName);
    throw new Conflict(`Already called from another device: ${recent.code} ${name} took the last free copy of "${game.title}"`, {
      precise: { code: 'called_elsewhere', params: { code: recent.code, name, title: game.title } },
    });
  }
  requireFreeCopy(game, inUse);
}

async function lockReservation(trx: Knex.Transaction, id: number) {
  const locked = await repo.lockReservation(trx, id);
  if (!locked) throw new NotFound('No reservation with that id', { precise: { code: 'reservation_not_found' } });
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
export async function joinQueue(ctx: AppContext, gameId: number, input: JoinInput, actor: string): Promise<Joined> {
  if (actor === 'customer') await refuseJoinWhenClosed(ctx);
  return joinWriterOf(ctx).join(gameId, input, actor);
}

/** A step back that comes too late (see `whyTooLate()`) is refused with a Conflict saying why. */
async function requireInWindow(trx: Knex.Transaction, ctx: AppContext, reservation: Reservation, action: QueueAction): Promise<void> {
  if (!TRANSITIONS[action].window) return;
  const late = whyTooLate(action, reservation, await repo.databaseNow(trx), ctx.config.queue.revertFinishedMs);
  if (late) throw late;
}

export interface ActionOptions {
  /** for extend_hold: how many minutes to add (default HOLD_EXTENSION_MINUTES) */
  minutes?: number;
}

/**
 * One staff (or customer) move on one reservation — a step forward, a step back, or a floor
 * tool — guarded by the game's row lock: two tablets pressing at once apply one after the
 * other, and the second is judged on what the first left (a 409 saying why).
 */
export async function applyAction(ctx: AppContext, id: number, action: QueueAction, actor: string, options: ActionOptions = {}): Promise<ReservationView> {
  const { rows, effects } = await repo.inTransaction(ctx.knex, async (trx) => {
    const { game, reservation } = await lockReservation(trx, id);
    if (decide(reservation.status, action).takesCopy) requireFreeCopy(game, await repo.copiesInUse(trx, game.id));
    await requireInWindow(trx, ctx, reservation, action);
    const extendMs = options.minutes !== undefined ? options.minutes * 60_000 : ctx.config.queue.holdExtensionMs;
    return transition(trx, [reservation], action, actor, { holdMs: ctx.config.queue.holdMs, extendMs });
  });
  await afterCommit(ctx, effects);
  return viewReservation(ctx.knex, rows[0]!);
}

/** Staff "call next": the head of the queue, when a copy is free, however many tablets press at once. */
export async function callNextParty(ctx: AppContext, gameId: number, actor: string, seenInUse?: number): Promise<ReservationView> {
  const { rows, effects } = await repo.inTransaction(ctx.knex, async (trx) => {
    const game = await repo.lockExistingGame(trx, gameId);
    await requireFreeCopyForNext(trx, game, seenInUse);
    const heads = await repo.lockQueueHeads(trx, gameId, 1);
    if (!heads.length) throw new Conflict(`Nobody is waiting for "${game.title}"`, { precise: { code: 'nobody_waiting', params: { title: game.title } } });
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

/** The live ticket with this code, when `secret` is the one its customer got on joining. */
export async function ticketBySecret(ctx: AppContext, code: string, secret: string): Promise<Reservation> {
  const found = await repo.findByCode(ctx.knex, code);
  if (!found) throw new NotFound('No ticket with that code', { precise: { code: 'ticket_not_found' } });
  const expected = Buffer.from(found.secretHash, 'hex');
  const given = Buffer.from(hashSecret(secret), 'hex');
  if (!timingSafeEqual(expected, given)) throw new Forbidden('That secret does not match this ticket', { precise: { code: 'wrong_ticket_secret' } });
  return found;
}

/** A customer leaves the queue with the secret they got when joining. */
export async function cancelByCustomer(ctx: AppContext, code: string, secret: string): Promise<ReservationView> {
  const found = await ticketBySecret(ctx, code, secret);
  if (found.status === 'seated') throw new Conflict('You are already seated; ask staff to finish your game', { precise: { code: 'already_seated' } });
  return applyAction(ctx, found.id, 'cancel', 'customer');
}

export type ReservationPatch = repo.DetailsPatch;

/** Fixes a party's details; never touches enqueuedAt, so never changes the order. */
export async function updateReservation(ctx: AppContext, id: number, patch: ReservationPatch, actor: string): Promise<ReservationView> {
  const updated = await repo.inTransaction(ctx.knex, async (trx) => {
    const { game, reservation } = await lockReservation(trx, id);
    if (patch.partySize !== undefined) checkPartySize(game, patch.partySize);
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

/** Staff's list of reservations in queue order; live parties carry their position and estimate (waiting) and how they are reached. */
export async function listReservations(ctx: AppContext, filter: repo.ReservationFilter): Promise<ReservationView[]> {
  const rows = await repo.listReservations(ctx.knex, filter);
  const liveGames = [...new Set(rows.filter((r) => !isTerminal(r.status)).map((r) => r.gameId))];
  const live = new Map<number, ReservationView>();
  for (const queue of liveGames.length ? await loadQueues(ctx.knex, liveGames) : []) {
    for (const w of [...queue.waiting, ...queue.calling, ...queue.seated]) live.set(w.id, w);
  }
  return rows.map((r) => live.get(r.id) ?? toReservationView(r));
}

/** One reservation as staff see it. */
export async function getReservation(ctx: AppContext, id: number): Promise<ReservationView> {
  const reservation = await repo.findReservation(ctx.knex, id);
  if (!reservation) throw new NotFound('No reservation with that id', { precise: { code: 'reservation_not_found' } });
  return viewReservation(ctx.knex, reservation);
}
