// Realtime pipeline, the wiring: how a committed change reaches the screens, in four steps,
// one file each:
//   1. notifier.ts            the queue says what changed, after its transaction committed
//   2. announcer.ts           this process's changes, per tick, become one change notice under a
//                             fresh version (./version.ts), sent to every app instance
//                             (emitter.ts does the same from `npm run worker`)
//   3. publisher.ts           each app instance reads once per tick for the notices it received
//   4. namespaces/board.ts    ...and sends the TV its board snapshot,
//      namespaces/staff.ts    the tablets their staff snapshot and stats,
//      namespaces/ticket.ts   the phones the tickets of the codes they watch.
// Around them: latest.ts keeps the last public reads in memory until the next change, and
// connections.ts caps the sockets per client address.
import type http from 'node:http';
import type { RequestHandler } from 'express';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type Namespace } from 'socket.io';
import type { AppContext } from '../context';
import { statsToday } from '../stats/stats';
import { NAMESPACES, CHANGE_NOTICE_EVENT, NOTICES_NAMESPACE, TICKET_ROOM_PREFIX, type ChangeNotice, type ClientEvents, type TicketServerEvents } from './contract';
import { ChangeAnnouncer } from './announcer';
import { capConnectionsPerAddress, clientAddresses } from './connections';
import { latestReads } from './latest';
import { ScreenPublisher, type LocalScreens } from './publisher';
import { connectRedis, roundTrip, safePublisher, socketIoKey } from './redis';
import { FreshLoader, type ScreenReads } from './snapshots';
import { currentVersion } from './version';
import { serveBoard } from './namespaces/board';
import { serveStaff } from './namespaces/staff';
import { serveTickets } from './namespaces/ticket';
import { serveCafe } from './namespaces/cafe';
import { cafeTimeZone } from '../settings/identity';

export interface Realtime {
  io: Server;
  announcer: ChangeAnnouncer;
  publisher: ScreenPublisher;
  close(): Promise<void>;
}

const SUBSCRIBE_WAIT_MS = 3000;

/**
 * Socket.IO on the HTTP server: `/board` (public), `/staff` (staff session), `/ticket`
 * (a phone watching its code). Screens get a full snapshot on connect and on `resync`, then
 * coalesced updates from the publisher, all stamped with the service-wide version.
 */
export async function attachRealtime(server: http.Server, ctx: AppContext, session: RequestHandler): Promise<Realtime> {
  const { config, logger, knex } = ctx;
  // Dedicated connections: a subscriber cannot share a connection, and ctx.redis fails fast
  // while Redis is down where pub/sub should wait and reconnect.
  const pub = connectRedis(config, logger, 'sio-pub');
  const sub = connectRedis(config, logger, 'sio-sub');
  const connections = capConnectionsPerAddress(config.realtime.connectionsPerAddress, clientAddresses(config.trustProxy));
  const io = new Server(server, {
    path: '/socket.io',
    serveClient: false,
    adapter: createAdapter(safePublisher(pub.client, logger), sub.client, { key: socketIoKey(config) }),
    allowRequest: connections.allowRequest,
  });
  connections.count(io);
  ctx.metrics.countSockets(() => Object.values(NAMESPACES).map((namespace) => ({ namespace, connections: io.of(namespace).sockets.size })));
  // Public reads from memory (see below for when they are trusted). What was held before our
  // subscriber dropped may have missed notices.
  const latest = latestReads(ctx);
  sub.onReconnected(() => latest.changed());

  const ticket: Namespace<ClientEvents, TicketServerEvents> = io.of(NAMESPACES.ticket);
  const screens: LocalScreens = {
    watching: (namespace) => io.of(namespace).sockets.size > 0,
    watchedCodes: () => {
      const codes = new Set<string>();
      for (const room of ticket.adapter.rooms.keys()) if (room.startsWith(TICKET_ROOM_PREFIX)) codes.add(room.slice(TICKET_ROOM_PREFIX.length));
      return codes;
    },
    // `local`: every instance gets every notice and serves its own screens.
    emit: (namespace, event, payload) => void io.of(namespace).local.emit(event, payload),
    emitTo: (namespace, room, event, payload) => void io.of(namespace).local.to(room).emit(event, payload),
  };
  const publisher = new ScreenPublisher(
    { knex, logger, timeZone: () => cafeTimeZone(ctx), tickMs: config.realtime.tickMs, latest, flushed: ctx.metrics.realtimeFlushed('publish') },
    screens,
  );
  // Every notice moves the version, so what memory holds is out of date, ours included.
  const receive = (notice: ChangeNotice) => {
    latest.changed();
    publisher.receive(notice);
  };
  // Notices from the other instances and from worker processes...
  io.of(NOTICES_NAMESPACE).on(CHANGE_NOTICE_EVENT, receive);
  // ...and our own, handed to our screens at once and to every other instance through Redis.
  const announcer = new ChangeAnnouncer({
    knex,
    logger,
    tickMs: config.realtime.tickMs,
    flushed: ctx.metrics.realtimeFlushed('announce'),
    send: (notice) => {
      receive(notice);
      io.of(NOTICES_NAMESPACE).serverSideEmit(CHANGE_NOTICE_EVENT, notice);
    },
  });
  const stopListening = announcer.listen(ctx.notifier);
  // Memory holds while every notice reaches us (our subscriber is connected) and our own
  // changes have all been announced.
  latest.trustWhile(() => sub.client.status === 'ready' && !announcer.busy());
  // While our subscriber was away, our screens missed other processes' notices; while our
  // publisher was away, the other instances missed ours.
  sub.onReconnected(() => publisher.publishEverything());
  pub.onReconnected(() => announcer.announceEverything());

  // Today's numbers move with the clock too: one read serves every socket that connects or
  // resyncs meanwhile (see FreshLoader), never kept.
  const stats = new FreshLoader(async () => ({ version: await currentVersion(knex), stats: await statsToday(knex, await cafeTimeZone(ctx)) }));
  const reads: ScreenReads = {
    // A screen's own snapshot carries the version of every change committed here before it
    // asked (a tick at most), not the one before: so a `resync` right after a change is news.
    games: () => announcer.flushed().then(() => latest.screens()),
    stats: () => stats.load(),
    failed: (namespace) => (err) => {
      logger.error({ err, namespace }, 'could not send a snapshot; the publisher will retry');
      publisher.publishSnapshots();
    },
  };
  serveBoard(io, reads);
  serveStaff(io, reads, session, ctx);
  const cafe = serveCafe(io, ctx);
  sub.onReconnected(() => cafe.resendLocal());
  serveTickets(io, latest, logger, { misses: ctx.limits.ticketMisses, addressOf: clientAddresses(config.trustProxy) });

  // Make sure the adapter's subscriptions are in place before the instance takes traffic,
  // or a change made on another instance right after start-up would not reach our clients.
  if (!(await roundTrip(sub.client, SUBSCRIBE_WAIT_MS))) {
    logger.error('Redis pub/sub is not answering; live updates from other instances arrive once it is back');
  }

  let closing: Promise<void> | undefined;
  return {
    io,
    announcer,
    publisher,
    close() {
      closing ??= (async () => {
        stopListening();
        cafe.stop();
        latest.trustWhile(() => false);
        // Announce our last changes while Redis can still carry them to other instances.
        await announcer.close();
        await publisher.close();
        // Drops every client connection (no Socket.IO "disconnect" packet), so clients treat it
        // as a network drop and reconnect, through Nginx, to an instance that is up. The HTTP
        // server itself is closed by the service.
        await io.close();
        await Promise.all([pub.close(), sub.close()]);
      })();
      return closing;
    },
  };
}
