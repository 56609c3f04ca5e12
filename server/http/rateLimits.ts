import type { NextFunction, Request, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { RateLimited } from '../errors';
import { sessionUser } from '../auth/guard';
import { BatchedRateLimiter } from './batchedLimiter';

export interface RateLimiters {
  join: BatchedRateLimiter;
  loginFailuresByUserAndIp: RateLimiterRedis;
  loginFailuresByIp: RateLimiterRedis;
}

export function createRateLimiters(redis: Redis, config: Config): RateLimiters {
  const prefix = `${config.redis.prefix}:rl`;
  const failures = config.rateLimits.loginFailures;
  return {
    // Joins are the hot path: their checks go to Redis together, one script call per tick.
    join: new BatchedRateLimiter(redis, { keyPrefix: `${prefix}:join`, points: config.rateLimits.joinsPerMinute, durationMs: 60_000 }),
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

function tooMany(what: string, msBeforeNext: number): RateLimited {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new RateLimited(`Too many ${what}; try again in ${seconds} s`, seconds);
}

export function rateLimitedError(rejection: unknown, what: string): Error {
  if (rejection instanceof RateLimiterRes) return tooMany(what, rejection.msBeforeNext);
  // Anything else is Redis failing: report it rather than letting every request through silently.
  return rejection as Error;
}

/** Public joins per client address; staff adding walk-ins are not limited. */
export function limitJoins(limiters: RateLimiters) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (sessionUser(req)) return next();
    let msBeforeNext: number;
    try {
      msBeforeNext = await limiters.join.consume(req.ip ?? 'unknown');
    } catch (err) {
      // Redis failing: report it rather than letting every request through silently.
      return next(err);
    }
    next(msBeforeNext > 0 ? tooMany('joins from this device', msBeforeNext) : undefined);
  };
}
