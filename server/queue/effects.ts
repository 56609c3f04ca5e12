import type { AppContext } from '../context';
import type { Reservation } from '../models/Reservation';
import { forgetGameHistory } from './readModel';
import { recordAfterCommit } from '../notify/service';

/**
 * What a committed change of one game's queue sets off: metrics, the screens, and the jobs
 * that keep the queue moving. Built by `transition()` (or a use case) inside the transaction,
 * run by `afterCommit()` once it has committed.
 */
export interface Effects {
  gameId: number;
  /** parties just called: their hold expiry is scheduled, their phones told */
  called?: readonly Reservation[];
  /** the called parties were called before (a seating taken back): not counted as calls again */
  recalled?: boolean;
  /** parties whose hold ended early: the expiry job is cancelled (it would find nothing to do) */
  endedHolds?: readonly Reservation[];
  /** reservations removed outright: a phone watching one of them learns it is gone */
  removed?: readonly Pick<Reservation, 'gameId' | 'code'>[];
  /** a copy was given back or the game changed: someone may now be owed a call */
  mayAdvance?: boolean;
  /** today's numbers count calls, seatings and endings; a join or a name fix does not move them */
  affectsStats?: boolean;
  /** parties that joined (metrics) */
  joined?: number;
  /** parties marked no-show (metrics) */
  noShows?: number;
  /** a session finished: the game's history (play times) changed */
  finished?: boolean;
}

/**
 * Runs after every committed change, from every use case (queue moves, joins, game edits).
 * Never throws and never undoes the commit: the screens are told first, whatever happens to
 * the job requests after; a job request that fails (Redis down) is logged, and the reconcile
 * pass re-derives it from MySQL. So a committed change is never answered with an error.
 */
export async function afterCommit(ctx: AppContext, effects: Effects): Promise<void> {
  const { gameId, called = [], endedHolds = [], removed = [] } = effects;
  for (let i = 0; i < (effects.joined ?? 0); i += 1) ctx.metrics.partyJoined(gameId);
  for (let i = 0; i < (effects.noShows ?? 0); i += 1) ctx.metrics.partyNoShow(gameId);
  if (effects.finished || effects.noShows) forgetGameHistory(ctx.knex, gameId);
  for (const r of called) {
    if (!effects.recalled) ctx.metrics.partyCalled(r.gameId, r.calledAt!.getTime() - r.enqueuedAt.getTime());
    ctx.notifier.partyCalled({ id: r.id, gameId: r.gameId, code: r.code });
  }
  for (const r of removed) ctx.notifier.partyRemoved({ gameId: r.gameId, code: r.code });
  ctx.notifier.gamesChanged([gameId], effects.affectsStats !== false || called.length > 0);

  const requests = [
    ...called.map((r) => ctx.jobs.scheduleHoldExpiry(r)),
    ...endedHolds.map((r) => ctx.jobs.cancelHoldExpiry(r)),
    ...(effects.mayAdvance ? [ctx.jobs.requestAdvance(gameId)] : []),
  ];
  // Phones away from the screen: "called", and "almost your turn" when positions moved.
  requests.push(recordAfterCommit(ctx, { gameId, called, joinOnly: (effects.joined ?? 0) > 0 }));
  const failed = (await Promise.allSettled(requests)).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    // MySQL already holds the truth; the reconcile pass re-derives any job lost here.
    ctx.logger.error({ err: failed[0]!.reason, failed: failed.length, gameId }, 'could not schedule queue jobs; reconcile will catch up');
  }
}
