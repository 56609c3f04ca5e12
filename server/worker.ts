import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from './config';
import { healthRouter } from './health/routes';
import { errorHandler } from './http/errorHandler';
import { createLogger } from './logger';
import { closeContext, createContext } from './context';
import { runMigrations } from './db/migrate';
import { startQueueWorkers } from './jobs/worker';
import { startRealtimeEmitter } from './realtime/emitter';

/** The queue workers alone, to scale or kill independently of the HTTP instances. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ role: 'worker' });
  const ctx = createContext(config, logger);
  await runMigrations(ctx.knex, logger);
  // No Socket.IO server here: the worker's changes reach screens through the Redis emitter.
  const realtime = startRealtimeEmitter(ctx);
  const workers = startQueueWorkers(ctx, logger);
  let stopping = false;
  // Its own /metrics (calls and hold expiries made here are counted here) and health checks,
  // on loopback unless WORKER_HOST says otherwise (a container scraped from outside).
  let server: http.Server | undefined;
  if (config.queue.workerPort !== undefined) {
    const app = express()
      .disable('x-powered-by')
      .use(healthRouter(ctx, () => stopping))
      .use(errorHandler(logger));
    server = http.createServer(app).listen(config.queue.workerPort, config.queue.workerHost);
    await once(server, 'listening');
  }
  const address = server?.address() as AddressInfo | undefined;
  logger.info({ host: address?.address, port: address?.port }, 'queue workers started');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping workers');
      stopping = true;
      server?.close();
      workers
        .close()
        .then(() => realtime.close())
        .then(() => closeContext(ctx))
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Meeple Queue worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
