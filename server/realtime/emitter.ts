import { Emitter } from '@socket.io/redis-emitter';
import type { AppContext } from '../context';
import { ChangePublisher } from './publisher';
import { connectRedis, safePublisher, socketIoKey } from './redis';

export interface RealtimeEmitter {
  publisher: ChangePublisher;
  close(): Promise<void>;
}

/**
 * Live updates from a process without a Socket.IO server (`npm run worker`): auto-advance
 * calls and hold expiries are published through Redis to the adapters of the app instances,
 * which hand them to their clients. Same flush logic as the app, another target.
 */
export function startRealtimeEmitter(ctx: AppContext): RealtimeEmitter {
  const { config, logger, knex } = ctx;
  const pub = connectRedis(config, logger, 'sio-emit');
  const emitter = new Emitter(safePublisher(pub.client, logger), { key: socketIoKey(config) });
  const publisher = new ChangePublisher({ knex, logger, timeZone: config.timeZone, tickMs: config.realtime.tickMs }, emitter);
  const stopListening = publisher.listen(ctx.notifier);
  // Publishes made while Redis was away may be lost; a full round puts the screens right.
  pub.onReconnected(() => publisher.publishEverything());
  return {
    publisher,
    async close() {
      stopListening();
      await publisher.close();
      await pub.close();
    },
  };
}
