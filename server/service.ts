import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Redis from 'ioredis';
import type { Config } from './config';
import type { Logger } from './logger';
import { createApp } from './app';
import { closeContext, createContext, type AppContext } from './context';
import { ensureDatabase } from './db/knex';
import { runMigrations } from './db/migrate';
import { ensureFirstAdmin } from './auth/users';
import { createSessionMiddleware } from './auth/session';
import { settleSessionSecret } from './auth/sessionSecret';
import { createRateLimiters } from './http/rateLimits';
import { startQueueWorkers, type QueueWorkers } from './jobs/worker';
import { attachRealtime, type Realtime } from './realtime/realtime';

export interface RunningService {
  ctx: AppContext;
  server: http.Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

async function waitForRedis(redis: Redis, logger: Logger, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([once(redis, 'ready'), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  if ((redis.status as string) !== 'ready') logger.error('Redis is not answering; starting anyway, /health reports it');
}

/** Prepares MySQL: creates the database if allowed, migrates, makes the first admin. */
export async function prepareDatabase(config: Config, logger: Logger, ctx: AppContext): Promise<void> {
  try {
    await ensureDatabase(config.mysql);
  } catch (err) {
    // Managed databases often forbid CREATE DATABASE; the migration below says if it is missing.
    logger.debug({ err: (err as Error).message }, 'could not ensure the database exists');
  }
  const applied = await runMigrations(ctx.knex, logger);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  await ensureFirstAdmin(ctx.knex, config.admin, logger);
}

/** Starts HTTP, Socket.IO and (unless RUN_WORKERS=false) the queue workers. */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const ctx = createContext(config, logger);
  await Promise.all([waitForRedis(ctx.redis, logger), ctx.jobs.queue.waitUntilReady().catch(() => undefined)]);
  await prepareDatabase(config, logger, ctx);
  if (config.session.secretGenerated) {
    // The secret drawn at load time gives way to the one stored at first start.
    ctx.config = { ...config, session: { ...config.session, secret: await settleSessionSecret(ctx.knex, config.session, logger) } };
    ctx.limits = createRateLimiters(ctx.redis, ctx.config);
  }

  let shuttingDown = false;
  const session = createSessionMiddleware(ctx);
  const app = createApp(ctx, { session, isShuttingDown: () => shuttingDown });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  const realtime: Realtime = await attachRealtime(server, ctx, session);
  const workers: QueueWorkers | null = config.queue.runWorkers ? startQueueWorkers(ctx, logger) : null;

  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ port, workers: Boolean(workers) }, 'Meeple Queue is listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      // Stop taking connections, let in-flight requests finish, then hand sockets to a peer.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      force.unref();
      // Workers first: what their last jobs change is still published before the sockets go.
      await workers?.close();
      await realtime.close();
      await stopped;
      clearTimeout(force);
      await closeContext(ctx);
      logger.info('Meeple Queue stopped');
    })();
    return closing;
  };
  return { ctx, server, url, port, close };
}
