import type Redis from 'ioredis';

/**
 * Fixed windows in Redis, one script call for many keys: INCRBY each key by the number of
 * consumers waiting on it, and start its window (PEXPIRE) if it has none yet. Answers the
 * count after the increment and the window's time left, per key.
 */
const CONSUME = `
local out = {}
local window = tonumber(ARGV[#KEYS + 1])
for i, key in ipairs(KEYS) do
  local used = redis.call('INCRBY', key, ARGV[i])
  local left = redis.call('PTTL', key)
  if left < 0 then
    redis.call('PEXPIRE', key, window)
    left = window
  end
  out[i * 2 - 1] = used
  out[i * 2] = left
end
return out`;

type WithConsume = Redis & { meepleConsume(keyCount: number, ...args: Array<string | number>): Promise<number[]> };

interface Waiter {
  resolve(msBeforeNext: number): void;
  reject(err: unknown): void;
}

/**
 * A rate limit shared by every instance (the counts live in Redis), for a hot path: every
 * check made in one turn of the event loop goes to Redis in ONE script call, instead of one
 * round trip per request. Same fixed-window rule as rate-limiter-flexible's RateLimiterRedis:
 * at most `points` per `durationMs` per key, the window starting at the key's first use;
 * refused attempts count too, so hammering does not open the door sooner.
 */
export class BatchedRateLimiter {
  private pending = new Map<string, Waiter[]>();
  private scheduled = false;
  private readonly redis: WithConsume;

  constructor(
    redis: Redis,
    private readonly options: { keyPrefix: string; points: number; durationMs: number },
  ) {
    if (!('meepleConsume' in redis)) redis.defineCommand('meepleConsume', { lua: CONSUME });
    this.redis = redis as WithConsume;
  }

  /**
   * Counts one attempt for `key`. Resolves 0 when it is within the limit, otherwise the ms
   * before the window ends; rejects when Redis cannot be asked (never lets requests through
   * unchecked, and never refuses them for Redis's fault: the caller reports it).
   */
  consume(key: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    try {
      const counts = batch.values();
      const out = await this.redis.meepleConsume(
        keys.length,
        ...keys.map((k) => `${this.options.keyPrefix}:${k}`),
        ...Array.from(counts, (waiters) => waiters.length),
        this.options.durationMs,
      );
      keys.forEach((key, i) => {
        const waiters = batch.get(key)!;
        const used = Number(out[i * 2]);
        const msLeft = Number(out[i * 2 + 1]);
        const before = used - waiters.length;
        waiters.forEach((w, j) => w.resolve(before + j + 1 <= this.options.points ? 0 : Math.max(1, msLeft)));
      });
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }
}
