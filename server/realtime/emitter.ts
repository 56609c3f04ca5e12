// Realtime pipeline, step 2 of 4 in `npm run worker`: notifier → announcer → (Redis) →
// the publisher of every app instance. The worker has no screens, so no steps 3 and 4 here.
import { Emitter } from '@socket.io/redis-emitter';
import type { AppContext } from '../context';
import { ChangeAnnouncer } from './announcer';
import { CHANGE_NOTICE_EVENT, NOTICES_NAMESPACE } from './contract';
import { connectRedis, safePublisher, socketIoKey } from './redis';

export interface RealtimeEmitter {
  announcer: ChangeAnnouncer;
  close(): Promise<void>;
}

/**
 * Live updates from a process without a Socket.IO server (`npm run worker`): the change
 * notices of its auto-advance calls and hold expiries go through Redis to every app instance,
 * which updates its own screens. Same announcer as the app, another way out.
 */
export function startRealtimeEmitter(ctx: AppContext): RealtimeEmitter {
  const { config, logger, knex } = ctx;
  const pub = connectRedis(config, logger, 'sio-emit');
  const emitter = new Emitter(safePublisher(pub.client, logger), { key: socketIoKey(config) });
  const announcer = new ChangeAnnouncer({
    knex,
    logger,
    tickMs: config.realtime.tickMs,
    flushed: ctx.metrics.realtimeFlushed('announce'),
    send: (notice) => emitter.of(NOTICES_NAMESPACE).serverSideEmit(CHANGE_NOTICE_EVENT, notice),
  });
  const stopListening = announcer.listen(ctx.notifier);
  // Notices sent while Redis was away may be lost; a full round puts the screens right.
  pub.onReconnected(() => announcer.announceEverything());
  return {
    announcer,
    async close() {
      stopListening();
      await announcer.close();
      await pub.close();
    },
  };
}
