import type Redis from 'ioredis';

/**
 * Fixed windows in Redis, one script call for many keys: INCRBY each key by the number of
 * uses waiting on it, and start its window (PEXPIRE, its own length) if it has none yet.
 * Answers the count after the increment and the window's time left, per key.
 * KEYS: the counters; ARGV: for each key, its uses then its window in ms.
 */
const COUNT = `
local out = {}
for i, key in ipairs(KEYS) do
  local used = redis.call('INCRBY', key, ARGV[i * 2 - 1])
  local left = redis.call('PTTL', key)
  if left < 0 then
    local window = tonumber(ARGV[i * 2])
    redis.call('PEXPIRE', key, window)
    left = window
  end
  out[i * 2 - 1] = used
  out[i * 2] = left
end
return out`;

type WithCount = Redis & { meepleCountWindows(keyCount: number, ...args: Array<string | number>): Promise<number[]> };

/** Where one use falls in its key's window: 1 for the window's first use. */
export interface WindowUse {
  rank: number;
  msLeft: number;
}

interface Pending {
  windowMs: number;
  waiters: Array<{ resolve(use: WindowUse): void; reject(err: unknown): void }>;
}

/**
 * Counts uses of keys in fixed windows shared by every instance (the counts live in Redis).
 * Every use counted in one turn of the event loop, whatever the key or limit, goes to Redis in
 * ONE script call instead of one round trip each: joins are the hot path, and each join is
 * checked against several limits.
 */
export class WindowCounter {
  private pending = new Map<string, Pending>();
  private scheduled = false;
  private readonly redis: WithCount;

  constructor(redis: Redis) {
    if (!('meepleCountWindows' in redis)) redis.defineCommand('meepleCountWindows', { lua: COUNT });
    this.redis = redis as WithCount;
  }

  /** Counts one use of `key`, whose window lasts `windowMs` from its first use. */
  count(key: string, windowMs: number): Promise<WindowUse> {
    return new Promise<WindowUse>((resolve, reject) => {
      const pending = this.pending.get(key);
      if (pending) pending.waiters.push({ resolve, reject });
      else this.pending.set(key, { windowMs, waiters: [{ resolve, reject }] });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = [...this.pending];
    this.pending = new Map();
    try {
      const out = await this.redis.meepleCountWindows(
        batch.length,
        ...batch.map(([key]) => key),
        ...batch.flatMap(([, { windowMs, waiters }]) => [waiters.length, windowMs]),
      );
      batch.forEach(([, { waiters }], i) => {
        const used = Number(out[i * 2]);
        const msLeft = Number(out[i * 2 + 1]);
        const before = used - waiters.length;
        waiters.forEach((w, j) => w.resolve({ rank: before + j + 1, msLeft }));
      });
    } catch (err) {
      for (const [, { waiters }] of batch) for (const w of waiters) w.reject(err);
    }
  }
}

/**
 * A rate limit for a hot path, on a WindowCounter (its own, or one shared with other limits so
 * they all go to Redis together). Same fixed-window rule as rate-limiter-flexible's
 * RateLimiterRedis: at most `points` per `durationMs` per key, the window starting at the key's
 * first use; refused attempts count too, so hammering does not open the door sooner.
 */
export class BatchedRateLimiter {
  private readonly counter: WindowCounter;

  constructor(
    source: Redis | WindowCounter,
    readonly options: { keyPrefix: string; points: number; durationMs: number },
  ) {
    this.counter = source instanceof WindowCounter ? source : new WindowCounter(source);
  }

  /**
   * Counts one attempt for `key`. Resolves 0 when it is within the limit, otherwise the ms
   * before the window ends; rejects when Redis cannot be asked (never lets requests through
   * unchecked, and never refuses them for Redis's fault: the caller reports it).
   */
  async consume(key: string): Promise<number> {
    const { rank, msLeft } = await this.counter.count(`${this.options.keyPrefix}:${key}`, this.options.durationMs);
    return rank <= this.options.points ? 0 : Math.max(1, msLeft);
  }
}
