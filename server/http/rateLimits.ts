import type { NextFunction, Request, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { RateLimited } from '../errors';
import { sessionUser } from '../auth/guard';

export interface RateLimiters {
  join: RateLimiterRedis;
  loginFailuresByUserAndIp: RateLimiterRedis;
  loginFailuresByIp: RateLimiterRedis;
}

export function createRateLimiters(redis: Redis, config: Config): RateLimiters {
  const prefix = `${config.redis.prefix}:rl`;
  const failures = config.rateLimits.loginFailures;
  return {
    join: new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:join`, points: config.rateLimits.joinsPerMinute, duration: 60 }),
    loginFailuresByUserAndIp: new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:login-user-ip`,
      points: failures,
      duration: 15 * 60,
      blockDuration: 15 * 60,
    }),
    loginFailuresByIp: new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:login-ip`,
      points: failures * 4,
      duration: 60 * 60,
      blockDuration: 60 * 60,
    }),
  };
}

export function rateLimitedError(rejection: unknown, what: string): Error {
  if (rejection instanceof RateLimiterRes) {
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    return new RateLimited(`Too many ${what}; try again in ${seconds} s`, seconds);
  }
  // Anything else is Redis failing: report it rather than letting every request through silently.
  return rejection as Error;
}

/** Public joins per client address; staff adding walk-ins are not limited. */
export function limitJoins(limiters: RateLimiters) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (sessionUser(req)) return next();
    try {
      await limiters.join.consume(req.ip ?? 'unknown');
      next();
    } catch (rejection) {
      next(rateLimitedError(rejection, 'joins from this device'));
    }
  };
}
