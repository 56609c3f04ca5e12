import type { EventEmitter } from 'node:events';
import type { Logger } from './logger';

export interface RedisWatch {
  /** Runs `listener` each time the connection is ready again after it was lost. */
  onReconnected(listener: () => void): void;
}

/**
 * Reports a Redis connection going down once per outage (ioredis emits an error on every
 * reconnect attempt) and says when it is back: an outage is always in the log, never a flood.
 */
export function watchRedis(client: EventEmitter, logger: Logger, role: string): RedisWatch {
  const reconnected: Array<() => void> = [];
  let everReady = false;
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger.error({ err: err.message, role }, 'Redis connection lost; retrying');
    down = true;
  });
  client.on('ready', () => {
    if (everReady && down) logger.info({ role }, 'Redis connection restored');
    if (everReady) for (const listener of reconnected) listener();
    everReady = true;
    down = false;
  });
  return { onReconnected: (listener) => reconnected.push(listener) };
}
