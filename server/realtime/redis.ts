// Realtime pipeline, the transport between steps 2 and 3: Redis pub/sub carries change notices
// from every process to every app instance (the adapter in realtime.ts, the emitter in emitter.ts).
import Redis from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { watchRedis } from '../redisHealth';

/** Channel prefix shared by the adapter of every app instance and the emitter of every worker. */
export const socketIoKey = (config: Config) => `${config.redis.prefix}:sio`;

/**
 * What the Socket.IO adapter and emitter need from a publishing client. Both call
 * `publish()` and drop the promise, so a publish failing while Redis is down would be an
 * unhandled rejection, which ends a Node 20 process. This wrapper catches and logs instead:
 * a lost broadcast is repaired by the snapshot sent once pub/sub is back.
 */
export interface SafePublisher {
  publish(channel: string, message: string | Buffer): Promise<number | undefined>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface RedisLink {
  client: Redis;
  /** Runs `listener` each time the connection is ready again after it was lost. */
  onReconnected(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * A dedicated connection for pub/sub. Unlike ctx.redis (which fails commands at once while
 * Redis is down) it queues commands while reconnecting, and ioredis re-subscribes by itself
 * after a reconnect, so a restarted or flushed Redis does not end live updates.
 */
export function connectRedis(config: Config, logger: Logger, role: string): RedisLink {
  const client = new Redis(config.redis.url, { connectionName: `${config.redis.prefix}:${role}`, maxRetriesPerRequest: 3 });
  const watch = watchRedis(client, logger, `realtime-${role}`);
  return {
    client,
    onReconnected: watch.onReconnected,
    async close() {
      // quit() lets queued publishes go out first; disconnect() if Redis does not answer.
      const timer = setTimeout(() => client.disconnect(), 1000);
      await client.quit().catch(() => client.disconnect());
      clearTimeout(timer);
    },
  };
}

export function safePublisher(client: Redis, logger: Logger): SafePublisher {
  let lastLogged = 0;
  return {
    publish: (channel, message) =>
      client.publish(channel, message).catch((err: Error) => {
        // At most one line every few seconds: an outage would otherwise log every flush.
        if (Date.now() - lastLogged > 5000) logger.error({ err: err.message }, 'could not publish a live update to Redis');
        lastLogged = Date.now();
        return undefined;
      }),
    on: (event, listener) => client.on(event, listener),
    off: (event, listener) => client.off(event, listener),
  };
}

/** Waits until the connection has answered everything sent so far (bounded). */
export async function roundTrip(client: Redis, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const answered = client.ping().then(
    () => true,
    () => false,
  );
  const result = await Promise.race([answered, timeout]);
  clearTimeout(timer);
  return result;
}
