import type { AppContext } from '../context';
import type { Reservation } from '../models/Reservation';
import { gamesOwedACall, runningHolds } from './repository';
import { advanceGame, expireHold } from './service';
import { requeueStale } from '../notify/service';

/**
 * Re-derives every owed job from MySQL: calls owed to free copies, holds to expire. Runs at
 * start-up and on a schedule of its own (the maintenance queue), so losing everything in
 * Redis, or a paused engine queue, loses no work.
 *
 * Owed calls and overdue holds are done here rather than queued: their jobs may be stuck in
 * Redis (a SIGKILLed worker's active job keeps its id and deduplication key until its lock
 * expires and the stalled check frees it, and a paused engine runs nothing), and queueing
 * behind them would wait for that. Doing the work twice is harmless: every transition takes
 * the game's row lock.
 */
export async function reconcile(ctx: AppContext): Promise<{ advanced: number; holds: number; called: number; expired: number }> {
  try {
    const result = await reconcileOnce(ctx);
    // What reconcile did itself was owed and not done: a healthy engine leaves it nothing.
    ctx.metrics.reconciled({ calls: result.called, holds: result.expired });
    return result;
  } catch (err) {
    ctx.metrics.reconciled('failed');
    throw err;
  }
}

async function reconcileOnce(ctx: AppContext): Promise<{ advanced: number; holds: number; called: number; expired: number }> {
  const gameIds = ctx.config.queue.autoAdvance ? await gamesOwedACall(ctx.knex) : [];
  const holds = await runningHolds(ctx.knex);
  let called = 0;
  for (const id of gameIds) called += (await advanceGame(ctx, id)).length;
  const now = Date.now();
  const pending: Array<Pick<Reservation, 'id' | 'holdExpiresAt'>> = [];
  let expired = 0;
  for (const hold of holds) {
    if (hold.holdExpiresAt!.getTime() > now) {
      pending.push(hold);
      continue;
    }
    const { outcome } = await expireHold(ctx, hold.id);
    if (outcome === 'not-yet') pending.push(hold);
    if (outcome === 'expired') expired += 1;
  }
  await Promise.all(pending.map((r) => ctx.jobs.scheduleHoldExpiry(r)));
  await requeueStale(ctx);
  return { advanced: gameIds.length, holds: holds.length, called, expired };
}
