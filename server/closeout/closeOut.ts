import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { isUniqueViolation } from '../db/errors';
import { recordAudit } from '../audit/log';
import type { Reservation } from '../models/Reservation';
import { afterCommit, type Effects } from '../queue/effects';
import * as repo from '../queue/repository';
import { transition } from '../queue/transition';
import type { Move, ReservationStatus } from '../queue/states';
import { dueCloseOut } from '../settings/hours';
import { readOpeningHours } from '../settings/openingHours';
import { cafeTimeZone } from '../settings/identity';

export const SYSTEM_CLOSE_OUT = 'system:close-out';

/** The move that ends a party left at closing, by its status (see TRANSITIONS). */
const CLOSE_OUT_MOVE: Partial<Record<ReservationStatus, Move>> = { waiting: 'close_out', called: 'close_out', seated: 'close_out_seated' };

export interface CloseOutSummary {
  /** the café day closed out (YYYY-MM-DD, CAFE_TIMEZONE) */
  cafeDate: string;
  /** parties that joined before this were ended */
  cutoff: string;
  actor: string;
  /** waiting parties cancelled (reason "closed") */
  cancelledWaiting: number;
  /** called parties cancelled (reason "closed"): the café closed on them, not a no-show */
  cancelledCalled: number;
  /** seated parties finished */
  finished: number;
  perGame: Array<{ gameId: number; title: string; cancelled: number; finished: number }>;
}

export type CloseOutOutcome = { outcome: 'closed'; summary: CloseOutSummary } | { outcome: 'already-closed' | 'nothing-due'; cafeDate: string | null };

/** Claims the café day: the first transaction to insert its row does the work, any other finds it taken. */
async function claimDay(trx: Knex.Transaction, cafeDate: string, cutoff: Date, actor: string): Promise<boolean> {
  try {
    await trx('close_outs').insert({ cafeDate, cutoff, actor });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/**
 * Ends café day `cafeDate`: every party that joined before `cutoff` and is still waiting,
 * called or seated makes its close-out move through the state machine (`close_out`,
 * `close_out_seated`), game by game under the game's lock like any other move, in one
 * transaction with the day's row in `close_outs`. Idempotent: the row is the claim, so a second
 * run (another worker, a retried job) waits for the first to commit, then finds the day done.
 * Parties that joined after the cutoff (the next day's) are left alone.
 */
export async function closeOutDay(ctx: AppContext, cafeDate: string, cutoff: Date, actor: string): Promise<CloseOutOutcome> {
  const done = await repo.inTransaction(ctx.knex, async (trx) => {
    if (!(await claimDay(trx, cafeDate, cutoff, actor))) return null;
    const summary: CloseOutSummary = { cafeDate, cutoff: cutoff.toISOString(), actor, cancelledWaiting: 0, cancelledCalled: 0, finished: 0, perGame: [] };
    const effects: Effects[] = [];
    for (const gameId of await repo.gamesActiveBefore(trx, cutoff)) {
      const game = await repo.lockGame(trx, gameId);
      if (!game) continue;
      const parties = await repo.lockActiveBefore(trx, gameId, cutoff);
      const byStatus = new Map<ReservationStatus, Reservation[]>();
      for (const r of parties) byStatus.set(r.status, [...(byStatus.get(r.status) ?? []), r]);
      for (const [status, group] of byStatus) {
        const { effects: moved } = await transition(trx, group, CLOSE_OUT_MOVE[status]!, actor, ctx.config.queue.holdMs);
        effects.push(moved);
      }
      const count = (status: ReservationStatus) => byStatus.get(status)?.length ?? 0;
      summary.cancelledWaiting += count('waiting');
      summary.cancelledCalled += count('called');
      summary.finished += count('seated');
      summary.perGame.push({ gameId, title: game.title, cancelled: count('waiting') + count('called'), finished: count('seated') });
    }
    await trx('close_outs').where({ cafeDate }).update({ summary: JSON.stringify(summary) });
    await recordAudit(trx, {
      actor,
      type: 'close_out',
      subject: cafeDate,
      details: { cancelled: summary.cancelledWaiting + summary.cancelledCalled, finished: summary.finished },
    });
    return { summary, effects };
  });
  if (!done) return { outcome: 'already-closed', cafeDate };
  for (const effects of done.effects) await afterCommit(ctx, effects);
  ctx.logger.info({ ...done.summary, perGame: undefined }, 'café day closed out');
  return { outcome: 'closed', summary: done.summary };
}

/**
 * The maintenance job's check (every minute): if the latest closing time has passed and its
 * café day is not closed out yet, close it out. With the hours off, nothing is ever due.
 */
export async function closeOutIfDue(ctx: AppContext, now = new Date()): Promise<CloseOutOutcome> {
  const { value: hours } = await readOpeningHours(ctx);
  const due = dueCloseOut(hours, now, await cafeTimeZone(ctx));
  if (!due) return { outcome: 'nothing-due', cafeDate: null };
  const already = await ctx.knex('close_outs').where({ cafeDate: due.date }).first('cafeDate');
  if (already) return { outcome: 'already-closed', cafeDate: due.date };
  return closeOutDay(ctx, due.date, due.closesAt, SYSTEM_CLOSE_OUT);
}

/** The latest close-outs, newest first, for the staff screens. */
export async function recentCloseOuts(knex: Knex, limit = 14): Promise<Array<CloseOutSummary & { closedAt: string }>> {
  const rows = (await knex('close_outs').orderBy('cafeDate', 'desc').limit(limit).select('summary', 'createdAt')) as Array<{ summary: string | null; createdAt: Date }>;
  return rows.filter((r) => r.summary).map((r) => ({ ...(JSON.parse(r.summary!) as CloseOutSummary), closedAt: r.createdAt.toISOString() }));
}
