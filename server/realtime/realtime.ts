import http from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type DefaultEventsMap, type Namespace, type Socket } from 'socket.io';
import type { AppContext } from '../context';
import type { SessionUser } from '../auth/guard';
import { guardStaffSocket } from '../auth/socketAuth';
import { currentVersion } from '../board/version';
import { NotFound } from '../errors';
import { isValidCode } from '../queue/ordering';
import { statsToday } from '../stats/stats';
import { buildTicket } from '../tickets/tickets';
import {
  NAMESPACES,
  CHANGE_NOTICE_EVENT,
  NOTICES_NAMESPACE,
  TICKET_ROOM_PREFIX,
  ticketRoom,
  type BoardServerEvents,
  type ChangeNotice,
  type ClientEvents,
  type StaffServerEvents,
  type TicketServerEvents,
  type WatchAck,
} from './contract';
import { ChangeAnnouncer } from './announcer';
import { ScreenPublisher, type LocalScreens } from './publisher';
import { connectRedis, roundTrip, safePublisher, socketIoKey } from './redis';
import { boardSnapshot, FreshLoader, readQueues, staffSnapshot } from './snapshots';

export interface Realtime {
  io: Server;
  announcer: ChangeAnnouncer;
  publisher: ScreenPublisher;
  close(): Promise<void>;
}

interface StaffSocketData {
  user: SessionUser;
}

const SUBSCRIBE_WAIT_MS = 3000;
const SESSION_RECHECK_MS = 60_000;

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
  const io = new Server(server, {
    path: '/socket.io',
    serveClient: false,
    adapter: createAdapter(safePublisher(pub.client, logger), sub.client, { key: socketIoKey(config) }),
  });

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
  const publisher = new ScreenPublisher({ knex, logger, timeZone: config.timeZone, tickMs: config.realtime.tickMs }, screens);
  // Notices from the other instances and from worker processes...
  io.of(NOTICES_NAMESPACE).on(CHANGE_NOTICE_EVENT, (notice: ChangeNotice) => publisher.receive(notice));
  // ...and our own, handed to our screens at once and to every other instance through Redis.
  const announcer = new ChangeAnnouncer({
    knex,
    logger,
    tickMs: config.realtime.tickMs,
    send: (notice) => {
      publisher.receive(notice);
      io.of(NOTICES_NAMESPACE).serverSideEmit(CHANGE_NOTICE_EVENT, notice);
    },
  });
  const stopListening = announcer.listen(ctx.notifier);
  // While our subscriber was away, our screens missed other processes' notices; while our
  // publisher was away, the other instances missed ours.
  sub.onReconnected(() => publisher.publishEverything());
  pub.onReconnected(() => announcer.announceEverything());

  // One read serves every socket that connects or resyncs meanwhile (see FreshLoader).
  const games = new FreshLoader(async () => {
    const state = await readQueues(knex);
    return { board: boardSnapshot(state), staff: staffSnapshot(state) };
  });
  const stats = new FreshLoader(async () => ({ version: await currentVersion(knex), stats: await statsToday(knex, config.timeZone) }));

  /** A socket could not get its snapshot: log it, and let the publisher retry for everyone. */
  const snapshotFailed = (namespace: string) => (err: unknown) => {
    logger.error({ err, namespace }, 'could not send a snapshot; the publisher will retry');
    publisher.publishSnapshots();
  };

  const board: Namespace<ClientEvents, BoardServerEvents> = io.of(NAMESPACES.board);
  board.on('connection', (socket) => {
    const send = () => games.load().then((s) => void socket.emit('snapshot', s.board), snapshotFailed(NAMESPACES.board));
    void send();
    socket.on('resync', singleFlight(send));
  });

  const staff: Namespace<ClientEvents, StaffServerEvents, DefaultEventsMap, StaffSocketData> = io.of(NAMESPACES.staff);
  staff.use((socket, next) => {
    // The Express session, read from the handshake's cookie. A fresh response object soaks up
    // what express-session would do to a response; nothing is ever sent on it.
    const req = socket.request as Request;
    session(req, new http.ServerResponse(req) as unknown as Response, (err?: unknown) => {
      if (err) {
        logger.error({ err }, 'could not read the session of a staff socket');
        return next(refusal('unavailable', 'Could not check your session; try again'));
      }
      const user = req.session?.user;
      if (!user) return next(refusal('unauthenticated', 'Sign in as staff to see this'));
      socket.data.user = user;
      next();
    });
  });
  staff.use(guardStaffSocket(ctx));
  staff.on('connection', (socket) => {
    const send = () =>
      Promise.all([
        games.load().then((s) => void socket.emit('snapshot', s.staff)),
        stats.load().then((s) => void socket.emit('stats', s)),
      ]).catch(snapshotFailed(NAMESPACES.staff));
    void send();
    const resync = singleFlight(send);
    socket.on('resync', () => void stillSignedIn(socket.request as Request, logger).then((ok) => (ok ? resync() : socket.disconnect())));
    // A socket outlives the request that opened it: after a sign-out elsewhere (or the session
    // expiring), stop sending this screen full names.
    const recheck = setInterval(() => {
      void stillSignedIn(socket.request as Request, logger).then((ok) => ok || socket.disconnect());
    }, SESSION_RECHECK_MS).unref();
    socket.on('disconnect', () => clearInterval(recheck));
  });

  ticket.on('connection', (socket) => watchTickets(socket, ctx));

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

/** A Socket.IO middleware refusal; the client sees it as `connect_error` with `data.code`. */
function refusal(code: string, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}

/**
 * Whether the handshake's session still exists with a staff user. While Redis cannot be asked,
 * the socket keeps its benefit of the doubt: dropping every tablet during a blip helps nobody.
 */
function stillSignedIn(req: Request, logger: AppContext['logger']): Promise<boolean> {
  const session = req.session;
  if (!session) return Promise.resolve(false);
  return new Promise((resolve) => {
    session.reload((err: unknown) => {
      if (err instanceof Error && err.message === 'failed to load session') return resolve(false);
      if (err) {
        logger.warn({ err }, 'could not re-check a staff socket session');
        return resolve(true);
      }
      resolve(Boolean(req.session?.user));
    });
  });
}

/** Ignores a repeat while the previous one is still running (a client spamming resync). */
function singleFlight(run: () => Promise<unknown>): () => void {
  let running = false;
  return () => {
    if (running) return;
    running = true;
    void run().finally(() => (running = false));
  };
}

/** `/ticket`: a phone watches one code at a time; the room brings it the publisher's updates. */
function watchTickets(socket: Socket<ClientEvents, TicketServerEvents>, ctx: AppContext): void {
  let watched: string | undefined;

  const send = async (code: string): Promise<WatchAck> => {
    try {
      // Version first, then data, as everywhere: the data is at least that new.
      const version = await currentVersion(ctx.knex);
      const body = await buildTicket(ctx.knex, code);
      if (watched === code) socket.emit('ticket', { ...body, version });
      return { ok: true };
    } catch (err) {
      if (err instanceof NotFound) {
        if (watched === code) {
          void socket.leave(ticketRoom(code));
          watched = undefined;
        }
        return { ok: false, error: { code: 'not_found', message: err.message } };
      }
      ctx.logger.error({ err, code }, 'could not send a ticket');
      return { ok: false, error: { code: 'unavailable', message: 'Could not load the ticket; try again' } };
    }
  };

  socket.on('watch', (payload, ack) => {
    const reply = typeof ack === 'function' ? ack : () => undefined;
    const raw = payload && typeof payload === 'object' ? payload.code : undefined;
    const code = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
    if (!isValidCode(code)) {
      reply({ ok: false, error: { code: 'validation_failed', message: 'That is not a ticket code' } });
      return;
    }
    if (watched && watched !== code) void socket.leave(ticketRoom(watched));
    watched = code;
    // Join before reading, so no update published after the read can be missed.
    void socket.join(ticketRoom(code));
    void send(code).then(reply);
  });

  socket.on('resync', () => {
    if (watched) void send(watched);
  });
}
