// Beside the pipeline: the café's identity (name, logo, accent, public address, time zone,
// language) is not queue data and has no version of the service's; it changes rarely, from
// the settings screen, and every screen of every instance shows the new one at once.
import type { Namespace, Server } from 'socket.io';
import type { AppContext } from '../../context';
import { readCafe } from '../../settings/identity';
import { NAMESPACES, type CafeServerEvents, type ClientEvents } from '../contract';

export interface CafeFeed {
  /** Sends the identity to this instance's /cafe sockets (after our subscriber missed some). */
  resendLocal(): void;
  stop(): void;
}

/**
 * `/cafe` (public, every screen): the identity on connect and on `resync`, then after each
 * change. The instance that saved it sends it to every instance's screens through the Redis
 * adapter; it carries its own version (when it was saved), so a screen keeps the newest.
 */
export function serveCafe(io: Server, ctx: AppContext): CafeFeed {
  const cafe: Namespace<ClientEvents, CafeServerEvents> = io.of(NAMESPACES.cafe);
  const failed = (err: unknown) => ctx.logger.error({ err }, 'could not read the café identity for the screens');
  cafe.on('connection', (socket) => {
    const send = () => readCafe(ctx).then((body) => void socket.emit('cafe', body), failed);
    void send();
    socket.on('resync', () => void send());
  });
  const changed = () => void readCafe(ctx).then((body) => void cafe.emit('cafe', body), failed);
  ctx.notifier.on('cafeChanged', changed);
  return {
    resendLocal: () => void readCafe(ctx).then((body) => void cafe.local.emit('cafe', body), failed),
    stop: () => void ctx.notifier.off('cafeChanged', changed),
  };
}
