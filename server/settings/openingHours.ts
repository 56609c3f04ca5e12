import type { AppContext } from '../context';
import { recordAudit } from '../audit/log';
import { ALWAYS_OPEN, joinWindow, refusalMessage, type OpeningHours } from './hours';
import { OpeningHoursBody } from './schemas';
import { QueueClosed } from '../queue/joinRules';
import { defineSetting, forgetSetting, readSetting, writeSetting } from './store';
import { cafeTimeZone } from './identity';

/** The café's opening hours, a key of the settings store; off until an admin sets them. */
export const OPENING_HOURS = defineSetting<OpeningHours>('opening_hours', OpeningHoursBody, ALWAYS_OPEN);

export function readOpeningHours(ctx: AppContext) {
  return readSetting(ctx.knex, OPENING_HOURS);
}

export async function saveOpeningHours(ctx: AppContext, hours: OpeningHours, actor: string): Promise<void> {
  await ctx.knex.transaction(async (trx) => {
    await writeSetting(trx, OPENING_HOURS, hours, actor);
    await recordAudit(trx, { actor, type: 'settings_changed', subject: OPENING_HOURS.key, details: { enabled: hours.enabled } });
  });
  forgetSetting(ctx.knex, OPENING_HOURS);
}

/** Whether customers may join now, and the plain words for them when not. */
export async function queueStatus(ctx: AppContext, now = new Date()): Promise<{ open: boolean; message: string | null; opensAt: Date | null }> {
  const { value: hours } = await readOpeningHours(ctx);
  const timeZone = await cafeTimeZone(ctx);
  const window = joinWindow(hours, now, timeZone);
  if (window.open) return { open: true, message: null, opensAt: null };
  return { open: false, message: refusalMessage(hours, window, timeZone, now), opensAt: window.opensAt };
}

/**
 * A customer's join outside the hours (or after the last join) is a 409 in plain words. Staff
 * adding a walk-in are not held to the hours: they see the café. Queue lengths (a game's
 * `maxQueue`) are checked where the join is written, for everyone (server/queue/joins.ts).
 */
export async function refuseJoinWhenClosed(ctx: AppContext): Promise<void> {
  const status = await queueStatus(ctx);
  if (!status.open) throw new QueueClosed(status.message!);
}
