import { timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { Conflict, Forbidden, NotFound } from '../errors';
import { Game } from '../models/Game';
import { Reservation } from '../models/Reservation';
import { ReservationEvent } from '../models/ReservationEvent';
import { freeCopies, nextStatus, USING_A_COPY, type QueueAction, type ReservationStatus } from './states';
import { hashSecret, JoinWriter, type JoinInput, type Joined } from './joins';
import { toReservationView, viewReservation, type ReservationView, forgetRecentSessions } from './readModel';

/** Read committed + a lock on the game row: every decision sees the latest commits, in turn. */
const TRANSACTION = { isolationLevel: 'read committed' } as const;
const NOW = 'CURRENT_TIMESTAMP(3)';

export const SYSTEM_ADVANCE = 'system:auto-advance';
export const SYSTEM_HOLD_EXPIRY = 'system:hold-expiry';

interface Effects {
  gameId: number;
  called: Reservation[];
  /** a copy was given back, or a party left the front: someone may now be owed a call */
  mayAdvance: boolean;
  endedHolds: Reservation[];
  /** today's numbers count calls, seatings and endings; a join alone does not move them */
  affectsStats?: boolean;
}

function raw(trx: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Date {
  // Objection's typed patch wants a Date; the database fills in its own clock.
  return trx.raw(sql, bindings) as unknown as Date;
}

async function lockGame(trx: Knex.Transaction, gameId: number): Promise<Game> {
  const game = await Game.query(trx).findById(gameId).forUpdate();
  if (!game) throw new NotFound('No game with that id');
  return game;
}

/** Locks the reservation's game, then the reservation: always in that order, so never a deadlock. */
async function lockReservation(trx: Knex.Transaction, id: number): Promise<{ game: Game; reservation: Reservation }> {
  const found = await Reservation.query(trx).findById(id).select('gameId');
  if (!found) throw new NotFound('No reservation with that id');
  const game = await lockGame(trx, found.gameId);
  const reservation = await Reservation.query(trx).findById(id).forUpdate();
  if (!reservation) throw new NotFound('No reservation with that id');
  return { game, reservation };
}

async function copiesInUse(trx: Knex.Transaction, gameId: number): Promise<number> {
  return Reservation.query(trx).where('gameId', gameId).whereIn('status', USING_A_COPY).resultSize();
}

async function logEvent(
  trx: Knex.Transaction,
  reservation: Reservation,
  type: string,
  from: ReservationStatus | null,
  actor: string,
  waitMs: number | null = null,
): Promise<void> {
  await ReservationEvent.query(trx).insert({
    reservationId: reservation.id,
    gameId: reservation.gameId,
    type,
    fromStatus: from,
    toStatus: reservation.status,
    actor,
    waitMs,
  });
}

/** Calls up to `count` parties from the head of the game's queue. Caller holds the game lock. */
async function callHeads(ctx: AppContext, trx: Knex.Transaction, gameId: number, count: number, actor: string): Promise<Reservation[]> {
  if (count <= 0) return [];
  const heads = await Reservation.query(trx)
    .where({ gameId, status: 'waiting' })
    .orderBy([{ column: 'enqueuedAt' }, { column: 'id' }])
    .limit(count)
    .forUpdate();
  if (!heads.length) return [];
  const ids = heads.map((r) => r.id);
  await Reservation.query(trx)
    .patch({
      status: 'called',
      calledAt: raw(trx, NOW),
      holdExpiresAt: raw(trx, `${NOW} + INTERVAL ? MICROSECOND`, [ctx.config.queue.holdMs * 1000]),
      updatedAt: raw(trx, NOW),
    })
    .whereIn('id', ids);
  const called = await Reservation.query(trx).whereIn('id', ids).orderBy([{ column: 'enqueuedAt' }, { column: 'id' }]);
  for (const r of called) await logEvent(trx, r, 'called', 'waiting', actor, r.calledAt!.getTime() - r.enqueuedAt.getTime());
  return called;
}

/** Side effects that must follow a commit: jobs, screens, metrics. Never undoes the commit. */
async function afterCommit(ctx: AppContext, effects: Effects): Promise<void> {
  for (const r of effects.called) {
    ctx.metrics.partyCalled(r.gameId, r.calledAt!.getTime() - r.enqueuedAt.getTime());
    ctx.notifier.partyCalled({ id: r.id, gameId: r.gameId, code: r.code });
  }
  ctx.notifier.gamesChanged([effects.gameId], effects.affectsStats !== false || effects.called.length > 0);
  try {
    await Promise.all([
      ...effects.called.map((r) => ctx.jobs.scheduleHoldExpiry(r)),
      ...effects.endedHolds.map((r) => ctx.jobs.cancelHoldExpiry(r)),
      effects.mayAdvance ? ctx.jobs.requestAdvance(effects.gameId) : Promise.resolve(),
    ]);
  } catch (err) {
    // MySQL already holds the truth; the reconcile pass re-derives any job lost here.
    ctx.logger.error({ err, gameId: effects.gameId }, 'could not schedule queue jobs; reconcile will catch up');
  }
}

const joinWriters = new WeakMap<AppContext, JoinWriter>();

/** The context's join writer (one per process), whose batches share their round trips. */
export function joinWriterOf(ctx: AppContext): JoinWriter {
  let writer = joinWriters.get(ctx);
  if (!writer) {
    writer = new JoinWriter(
      ctx.knex,
      {
        joined: async (game, count, mayBeOwedACall) => {
          for (let i = 0; i < count; i += 1) ctx.metrics.partyJoined(game.id);
          // Owed a call only if a copy is free once the join has committed; if none is,
          // whatever frees one later requests its own advance, and that job sees this party.
          const owed = ctx.config.queue.autoAdvance && game.autoAdvance && mayBeOwedACall;
          await afterCommit(ctx, { gameId: game.id, called: [], mayAdvance: owed, endedHolds: [], affectsStats: false });
        },
        readFailed: (err) => ctx.logger.error({ err }, 'joins committed, but the copies in use could not be read: answered without estimates'),
        codesRanOut: (err) => ctx.logger.error({ err }, 'joins refused: no free ticket code found after repeated draws'),
      },
    );
    joinWriters.set(ctx, writer);
  }
  return writer;
}

/** A party joins a game's queue; answered once the join has committed. */
export function joinQueue(ctx: AppContext, gameId: number, input: JoinInput, actor: string): Promise<Joined> {
  return joinWriterOf(ctx).join(gameId, input, actor);
}

const FREES_A_COPY: readonly QueueAction[] = ['finish', 'no_show', 'cancel'];

/** call, seat, finish, no_show or cancel one reservation, guarded by the game's row lock. */
export async function applyAction(ctx: AppContext, id: number, action: QueueAction, actor: string): Promise<ReservationView> {
  const { reservation, effects } = await ctx.knex.transaction(async (trx) => {
    const { game, reservation } = await lockReservation(trx, id);
    const from = reservation.status;
    const to = nextStatus(from, action);
    const effects: Effects = { gameId: game.id, called: [], mayAdvance: false, endedHolds: [] };

    if (action === 'call') {
      const free = freeCopies(game.copies, await copiesInUse(trx, game.id));
      if (free === 0) throw new Conflict(`No free copy of "${game.title}": all ${game.copies} in use`);
    }
    const patch: Partial<Reservation> = { status: to, updatedAt: raw(trx, NOW) };
    if (action === 'call') {
      patch.calledAt = raw(trx, NOW);
      patch.holdExpiresAt = raw(trx, `${NOW} + INTERVAL ? MICROSECOND`, [ctx.config.queue.holdMs * 1000]);
    }
    if (action === 'seat') patch.seatedAt = raw(trx, NOW);
    if (to === 'finished' || to === 'no_show' || to === 'cancelled') patch.finishedAt = raw(trx, NOW);
    await Reservation.query(trx).patch(patch).findById(id);
    const updated = (await Reservation.query(trx).findById(id))!;

    const waitMs = action === 'call' ? updated.calledAt!.getTime() - updated.enqueuedAt.getTime() : null;
    await logEvent(trx, updated, to, from, actor, waitMs);
    if (action === 'call') effects.called.push(updated);
    if (from === 'called') effects.endedHolds.push(updated);
    // Leaving from 'waiting' frees no copy; leaving 'called' or 'seated' does.
    effects.mayAdvance = FREES_A_COPY.includes(action) && from !== 'waiting';
    return { reservation: updated, effects };
  }, TRANSACTION);
  if (action === 'no_show') ctx.metrics.partyNoShow(reservation.gameId);
  if (action === 'finish') forgetRecentSessions(ctx.knex, reservation.gameId);
  await afterCommit(ctx, effects);
  return viewReservation(ctx.knex, reservation);
}

/** Staff "call next": one party per free copy, however many tablets press at once. */
export async function callNextParty(ctx: AppContext, gameId: number, actor: string): Promise<ReservationView> {
  const called = await ctx.knex.transaction(async (trx) => {
    const game = await lockGame(trx, gameId);
    const free = freeCopies(game.copies, await copiesInUse(trx, gameId));
    if (free === 0) throw new Conflict(`No free copy of "${game.title}": all ${game.copies} in use`);
    const [party] = await callHeads(ctx, trx, gameId, 1, actor);
    if (!party) throw new Conflict(`Nobody is waiting for "${game.title}"`);
    return party;
  }, TRANSACTION);
  await afterCommit(ctx, { gameId, called: [called], mayAdvance: false, endedHolds: [] });
  return toReservationView(called);
}

/** Auto-advance: call the head of the queue for every free copy, when the game allows it. */
export async function advanceGame(ctx: AppContext, gameId: number): Promise<Reservation[]> {
  if (!ctx.config.queue.autoAdvance) return [];
  const called = await ctx.knex.transaction(async (trx) => {
    const game = await Game.query(trx).findById(gameId).forUpdate();
    if (!game || !game.active || !game.autoAdvance) return [];
    const free = freeCopies(game.copies, await copiesInUse(trx, gameId));
    return callHeads(ctx, trx, gameId, free, SYSTEM_ADVANCE);
  }, TRANSACTION);
  if (called.length) await afterCommit(ctx, { gameId, called, mayAdvance: false, endedHolds: [] });
  return called;
}

export type HoldOutcome = 'expired' | 'not-yet' | 'nothing-to-do';

/**
 * A hold ran out: the called party becomes a no-show and the next party is owed a call.
 * Idempotent: a party already seated (or gone) is left alone.
 */
export async function expireHold(ctx: AppContext, reservationId: number): Promise<{ outcome: HoldOutcome; holdExpiresAt?: Date }> {
  const result = await ctx.knex.transaction(async (trx) => {
    const found = await Reservation.query(trx).findById(reservationId).select('gameId');
    if (!found) return { outcome: 'nothing-to-do' as const };
    const game = await Game.query(trx).findById(found.gameId).forUpdate();
    const reservation = await Reservation.query(trx).findById(reservationId).forUpdate();
    if (!game || !reservation || reservation.status !== 'called' || !reservation.holdExpiresAt) return { outcome: 'nothing-to-do' as const };
    const [clock] = (await trx.raw(`SELECT ${NOW} AS now`)) as [Array<{ now: Date }>];
    if (reservation.holdExpiresAt > clock[0]!.now) return { outcome: 'not-yet' as const, holdExpiresAt: reservation.holdExpiresAt };
    await Reservation.query(trx).patch({ status: 'no_show', finishedAt: raw(trx, NOW), updatedAt: raw(trx, NOW) }).findById(reservationId);
    const updated = (await Reservation.query(trx).findById(reservationId))!;
    await logEvent(trx, updated, 'no_show', 'called', SYSTEM_HOLD_EXPIRY);
    return { outcome: 'expired' as const, reservation: updated };
  }, TRANSACTION);
  if (result.outcome === 'expired' && 'reservation' in result) {
    ctx.metrics.partyNoShow(result.reservation.gameId);
    await afterCommit(ctx, { gameId: result.reservation.gameId, called: [], mayAdvance: true, endedHolds: [] });
  }
  return { outcome: result.outcome, holdExpiresAt: 'holdExpiresAt' in result ? result.holdExpiresAt : undefined };
}

/** A customer leaves the queue with the secret they got when joining. */
export async function cancelByCustomer(ctx: AppContext, code: string, secret: string): Promise<ReservationView> {
  const found = await Reservation.query(ctx.knex).findOne({ code });
  if (!found) throw new NotFound('No ticket with that code');
  const expected = Buffer.from(found.secretHash, 'hex');
  const given = Buffer.from(hashSecret(secret), 'hex');
  if (!timingSafeEqual(expected, given)) throw new Forbidden('That secret does not match this ticket');
  if (found.status === 'seated') throw new Conflict('You are already seated; ask staff to finish your game');
  return applyAction(ctx, found.id, 'cancel', 'customer');
}

export interface ReservationPatch {
  customerName?: string;
  partySize?: number;
  tableNumber?: number | null;
}

/** Fixes a party's details; never touches enqueuedAt, so never changes the order. */
export async function updateReservation(ctx: AppContext, id: number, patch: ReservationPatch, actor: string): Promise<ReservationView> {
  const updated = await ctx.knex.transaction(async (trx) => {
    const { reservation } = await lockReservation(trx, id);
    await Reservation.query(trx).patch({ ...patch, updatedAt: raw(trx, NOW) }).findById(id);
    const updated = (await Reservation.query(trx).findById(id))!;
    await logEvent(trx, updated, 'updated', reservation.status, actor);
    return updated;
  }, TRANSACTION);
  ctx.notifier.gamesChanged([updated.gameId], false);
  return viewReservation(ctx.knex, updated);
}

/** Removes a reservation outright (a mistake); cancel keeps history instead. */
export async function deleteReservation(ctx: AppContext, id: number, actor: string): Promise<void> {
  const removed = await ctx.knex.transaction(async (trx) => {
    const { reservation } = await lockReservation(trx, id);
    await logEvent(trx, reservation, 'deleted', reservation.status, actor);
    await Reservation.query(trx).deleteById(id);
    return reservation;
  }, TRANSACTION);
  ctx.notifier.partyRemoved({ gameId: removed.gameId, code: removed.code });
  const heldCopy = removed.status === 'called' || removed.status === 'seated';
  await afterCommit(ctx, {
    gameId: removed.gameId,
    called: [],
    mayAdvance: heldCopy,
    endedHolds: removed.status === 'called' ? [removed] : [],
  });
}
