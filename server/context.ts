import Redis from 'ioredis';
import type { Knex } from 'knex';
import type { Config } from './config';
import type { Logger } from './logger';
import { createKnex } from './db/knex';
import { createMetrics, type Metrics } from './metrics/metrics';
import { createQueueJobs, type QueueJobs } from './jobs/producer';
import { createRateLimiters, type RateLimiters } from './http/rateLimits';
import { LocalChangeNotifier } from './realtime/notifier';
import { watchRedis } from './redisHealth';
import { AccountCache } from './auth/accounts';

/** Everything a use case may need, built once per process (or per test app). */
export interface AppContext {
  config: Config;
  logger: Logger;
  knex: Knex;
  redis: Redis;
  jobs: QueueJobs;
  notifier: LocalChangeNotifier;
  metrics: Metrics;
  limits: RateLimiters;
  /** Staff accounts as sessions are re-checked against (see server/auth/accounts.ts) */
  accounts: AccountCache;
}

export function createContext(config: Config, logger: Logger): AppContext {
  const knex = createKnex(config.mysql, logger);
  // Commands fail at once while Redis is down, so requests report it instead of hanging.
  const redis = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  watchRedis(redis, logger, 'commands');
  const jobs = createQueueJobs(config, logger);
  return {
    config,
    logger,
    knex,
    redis,
    jobs,
    notifier: new LocalChangeNotifier(),
    metrics: createMetrics({ knex, redis, jobs, autoAdvance: config.queue.autoAdvance }),
    limits: createRateLimiters(redis, config),
    accounts: new AccountCache(knex),
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.close();
  ctx.redis.disconnect();
  await ctx.knex.destroy();
}
