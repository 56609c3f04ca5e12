import type { NextFunction, Request, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { NotFound, RateLimited, type Precise } from '../errors';
import { sessionUser } from '../auth/guard';
import { BatchedRateLimiter, WindowCounter } from './batchedLimiter';
import { DeviceCookies } from './deviceCookie';

export interface RateLimiters {
  /** Joins per device (the signed device cookie). */
  join: BatchedRateLimiter;
  /** Joins per address from requests without a valid device cookie. */
  joinNewDevice: BatchedRateLimiter;
  /** Every public join per address: many phones' worth, a ceiling for one script. */
  joinAddress: BatchedRateLimiter;
  devices: DeviceCookies;
  login: LoginLimiters;
  ticketMisses: TicketMisses;
}

export interface LoginLimiters {
  /** One username from one address: what a stranger runs into first. */
  byUserAndAddress: RateLimiterRedis;
  /** One address trying many usernames (password spraying). */
  byAddress: RateLimiterRedis;
  /** One username from every address together (many machines guessing one password). */
  byUser: RateLimiterRedis;
  /** One username from one trusted device: the only counter such a device uses. */
  byDevice: RateLimiterRedis;
}

const LOGIN_WINDOW_SECONDS = 15 * 60;

/**
 * Sign-in attempts (server/auth/loginThrottle.ts): every attempt consumes a point *before* the
 * password is checked (one atomic Redis script per counter), so a parallel burst cannot slip
 * past the count; a success gives its point back. Going over blocks the key for a whole window.
 */
function createLoginLimiters(redis: Redis, prefix: string, attempts: number): LoginLimiters {
  const limiter = (name: string, points: number, seconds: number) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:login-${name}`, points, duration: seconds, blockDuration: seconds });
  return {
    byUserAndAddress: limiter('user-ip', attempts, LOGIN_WINDOW_SECONDS),
    byAddress: limiter('ip', attempts * 4, 4 * LOGIN_WINDOW_SECONDS),
    byUser: limiter('user', attempts * 4, 4 * LOGIN_WINDOW_SECONDS),
    byDevice: limiter('device', attempts, LOGIN_WINDOW_SECONDS),
  };
}

export function createRateLimiters(redis: Redis, config: Config): RateLimiters {
  const prefix = `${config.redis.prefix}:rl`;
  // Joins are the hot path: all their checks go to Redis together, one script call per tick.
  const joins = new WindowCounter(redis);
  const perMinute = (name: string, points: number) => new BatchedRateLimiter(joins, { keyPrefix: `${prefix}:${name}`, points, durationMs: 60_000 });
  return {
    join: perMinute('join', config.rateLimits.joinsPerMinute),
    joinNewDevice: perMinute('join-new-device', config.rateLimits.newDeviceJoinsPerMinute),
    joinAddress: perMinute('join-address', config.rateLimits.addressJoinsPerMinute),
    devices: new DeviceCookies(config.session.secret, config.session.cookieSecure),
    login: createLoginLimiters(redis, prefix, config.rateLimits.loginFailures),
    ticketMisses: new TicketMisses(
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:ticket-miss`, points: config.rateLimits.ticketMissesPerMinute, duration: 60, blockDuration: 5 * 60 }),
    ),
  };
}

const secondsOf = (msBeforeNext: number) => Math.max(1, Math.ceil(msBeforeNext / 1000));

function tooMany(what: string, seconds: number, precise: Precise<429>): RateLimited {
  return new RateLimited(`Too many ${what}; try again in ${seconds} s`, seconds, precise);
}

/** Failed sign-ins over their limit (server/auth/loginThrottle.ts), or Redis failing. */
export function tooManySignIns(rejection: unknown): Error {
  if (rejection instanceof RateLimiterRes) {
    const seconds = secondsOf(rejection.msBeforeNext);
    return tooMany('failed sign-ins', seconds, { code: 'too_many_sign_ins', params: { seconds } });
  }
  // Anything else is Redis failing: report it rather than letting every request through silently.
  return rejection as Error;
}

/**
 * Unknown ticket codes looked up from one address (HTTP or the `/ticket` socket). A customer
 * mistypes a code or two; someone enumerating the code space to read other customers' tickets
 * misses thousands. Only misses count (in Redis, across instances), so a phone refreshing its
 * own ticket is never limited; an address over the limit is refused every lookup for five
 * minutes, hits included. The refusal is remembered in this process, so a lookup costs no
 * Redis round trip unless it misses: another instance refuses the address from its own first
 * refused miss on.
 */
export class TicketMisses {
  /** addresses refused here, and until when (Date.now() ms) */
  private readonly blocked = new Map<string, number>();

  constructor(private readonly limiter: RateLimiterRedis) {}

  private refusal(msBeforeNext: number): RateLimited {
    const seconds = secondsOf(msBeforeNext);
    const limit = this.limiter.points;
    return tooMany(`unknown ticket codes (at most ${limit} a minute from one network)`, seconds, { code: 'too_many_ticket_misses', params: { seconds, limit } });
  }

  /** Throws RateLimited while this address is refused here. */
  check(address: string): void {
    const until = this.blocked.get(address);
    if (until === undefined) return;
    if (until > Date.now()) throw this.refusal(until - Date.now());
    this.blocked.delete(address);
  }

  /** Counts one unknown code; throws RateLimited when that was one too many. */
  async count(address: string): Promise<void> {
    await this.limiter.consume(address).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.block(address, Date.now() + rejection.msBeforeNext);
      throw this.refusal(rejection.msBeforeNext);
    });
  }

  private block(address: string, until: number): void {
    // Only refused addresses are kept; ones that never came back are swept now and then.
    if (this.blocked.size >= 10_000) for (const [key, at] of this.blocked) if (at <= Date.now()) this.blocked.delete(key);
    this.blocked.set(address, until);
  }
}

/** A lookup by ticket code: refused while the address is over its misses, and a miss counted. */
export async function lookUpTicket<T>(misses: TicketMisses, address: string, lookup: () => Promise<T>): Promise<T> {
  misses.check(address);
  try {
    return await lookup();
  } catch (err) {
    if (err instanceof NotFound) await misses.count(address);
    throw err;
  }
}

/** One limit a join counts against: the key it counts under, and whom it limits (for the 429). */
interface JoinCheck {
  limiter: BatchedRateLimiter;
  key: string;
  from: string;
}

function joinChecks(limiters: RateLimiters, device: string, known: boolean, address: string): JoinCheck[] {
  return [
    { limiter: limiters.join, key: device, from: 'one device' },
    ...(known ? [] : [{ limiter: limiters.joinNewDevice, key: address, from: 'new devices on one network' }]),
    { limiter: limiters.joinAddress, key: address, from: 'one network' },
  ];
}

/**
 * Public joins, counted per device and per address. Phones in a café share one address, so
 * the device (a signed cookie, issued with the first join) carries the tight limit and the
 * address only a ceiling many phones wide. A join without a valid cookie also counts against
 * the address's new-device allowance, so clearing cookies does not buy a fresh allowance.
 * Staff adding walk-ins are not limited.
 */
export function limitJoins(limiters: RateLimiters) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (sessionUser(req)) return next();
    const known = limiters.devices.read(req);
    const device = known ?? limiters.devices.newId();
    const checks = joinChecks(limiters, device, known !== undefined, req.ip ?? 'unknown');
    let waits: number[];
    try {
      waits = await Promise.all(checks.map((check) => check.limiter.consume(check.key)));
    } catch (err) {
      // Redis failing: report it rather than letting every request through silently.
      return next(err);
    }
    // Several refusals: the one that lasts longest is the one to wait for.
    const longest = Math.max(...waits);
    if (longest > 0) {
      const { limiter, from } = checks[waits.indexOf(longest)]!;
      const seconds = secondsOf(longest);
      const limit = limiter.options.points;
      return next(tooMany(`joins (at most ${limit} joins a minute from ${from})`, seconds, { code: 'too_many_joins', params: { seconds, limit } }));
    }
    if (!known) limiters.devices.issue(req, res, device);
    res.locals.deviceId = device;
    return next();
  };
}
