import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, Response } from 'express';
import type { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { AppContext } from '../context';
import { tooManySignIns } from '../http/rateLimits';

/**
 * How long a device that signed in as an account skips the strangers' lockout (OWASP "device
 * cookies"): the device is the signed `meeple.device` id of server/http/deviceCookie.ts, and
 * which accounts it signed in as is kept in Redis, so a password change can forget it.
 */
const DEVICE_TRUST_SECONDS = 180 * 24 * 3600;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;

/** Progressive delay: 250 ms after the first failure in a row, doubling up to 4 s. */
export function failureDelayMs(failuresInARow: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, failuresInARow - 1));
}

function trustedDevicesKey(config: Config, account: string): string {
  return `${config.redis.prefix}:login-devices:${account}`;
}

/** Devices that signed in as this account no longer skip the strangers' lockout. */
export async function forgetTrustedDevices(ctx: AppContext, username: string): Promise<void> {
  await ctx.redis.del(trustedDevicesKey(ctx.config, username.toLowerCase()));
}

async function trustedDevice(ctx: AppContext, req: Request, account: string): Promise<string | undefined> {
  const id = ctx.limits.devices.read(req);
  return id && (await ctx.redis.sismember(trustedDevicesKey(ctx.config, account), id)) ? id : undefined;
}

export interface PasswordAttempt {
  /** Call before answering a wrong password: the answer comes slower the more failures came before. */
  failed(): Promise<void>;
  /** Resets the counters this attempt used and trusts the browser's device for the account. */
  succeeded(res: Response): Promise<void>;
}

/**
 * Counts a password attempt for `username` before the password is checked, and throws
 * RateLimited (429) while locked out. A device that signed in as this account before counts
 * only against itself; anyone else counts per username and address, per address, and per
 * username across addresses, so a customer on the café WiFi cannot lock staff tablets out.
 */
export async function beginPasswordAttempt(ctx: AppContext, req: Request, username: string): Promise<PasswordAttempt> {
  const { login } = ctx.limits;
  const account = username.toLowerCase();
  const address = req.ip ?? 'unknown';
  const device = await trustedDevice(ctx, req, account);
  const counters: Array<[RateLimiterRedis, string]> = device
    ? [[login.byDevice, `${account}|${device}`]]
    : [
        [login.byUserAndAddress, `${account}|${address}`],
        [login.byAddress, address],
        [login.byUser, account],
      ];
  // One after another: an attempt refused by the narrowest counter does not use up the wider ones.
  const consumed: RateLimiterRes[] = [];
  for (const [limiter, key] of counters) {
    consumed.push(await limiter.consume(key).catch((rejection: unknown) => Promise.reject(tooManySignIns(rejection))));
  }
  return {
    failed: () => sleep(failureDelayMs(consumed[0]!.consumedPoints)),
    async succeeded(res) {
      // The narrowest counter starts again; the wider ones get this attempt's point back.
      await Promise.all(counters.map(([limiter, key], i) => (i === 0 ? limiter.delete(key) : limiter.reward(key))));
      const { devices } = ctx.limits;
      const known = devices.read(req);
      const id = known ?? devices.newId();
      if (!known) devices.issue(req, res, id);
      const key = trustedDevicesKey(ctx.config, account);
      await ctx.redis.multi().sadd(key, id).expire(key, DEVICE_TRUST_SECONDS).exec();
    },
  };
}
