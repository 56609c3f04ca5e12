import type { AppContext } from '../context';
import { erasePersonalData, releaseCodes } from './repository';
import { eraseEndedSubscriptions } from '../notify/repository';

/**
 * The hourly clean-up (maintenance queue): tickets ended over a day ago stop resolving and
 * their codes may be drawn again, so the code space never runs out; customer names of
 * reservations ended RETENTION_DAYS ago are erased, while what happened and when stays for the
 * statistics. Idempotent: running it twice changes nothing more.
 */
export async function housekeeping(ctx: AppContext): Promise<{ codesReleased: number; namesErased: number }> {
  const codesReleased = await releaseCodes(ctx.knex);
  const namesErased = await erasePersonalData(ctx.knex, ctx.config.queue.retentionDays);
  await eraseEndedSubscriptions(ctx.knex, ctx.config.queue.retentionDays);
  if (codesReleased || namesErased) ctx.logger.info({ codesReleased, namesErased, retentionDays: ctx.config.queue.retentionDays }, 'housekeeping');
  return { codesReleased, namesErased };
}
