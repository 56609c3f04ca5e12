// Realtime pipeline, step 4 of 4, for staff tablets: notifier → announcer → publisher → namespaces/staff.ts.
// The publisher's staff snapshots and stats reach these sockets; this file admits them and
// answers what a socket asks for itself.
import http from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { DefaultEventsMap, Namespace, Server } from 'socket.io';
import type { SessionUser } from '../../auth/guard';
import { guardStaffSocket } from '../../auth/socketAuth';
import type { AppContext } from '../../context';
import type { Logger } from '../../logger';
import { NAMESPACES, refusal, type ClientEvents, type StaffServerEvents } from '../contract';
import { singleFlight, type ScreenReads } from '../snapshots';

interface StaffSocketData {
  user: SessionUser;
}

const SESSION_RECHECK_MS = 60_000;

/**
 * `/staff` (staff session only): full reservations and today's statistics, a snapshot on
 * connect and on `resync`, then the publisher's after each change. The session is checked on
 * connect, on every resync and every minute, so a signed-out tablet stops getting full names;
 * the handshake's Origin and the account itself are checked by `guardStaffSocket`.
 */
export function serveStaff(io: Server, reads: ScreenReads, session: RequestHandler, ctx: AppContext): void {
  const { logger } = ctx;
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
        reads.games().then((s) => void socket.emit('snapshot', s.staff)),
        reads.stats().then((s) => void socket.emit('stats', s)),
      ]).catch(reads.failed(NAMESPACES.staff));
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
}

/**
 * Whether the handshake's session still exists with a staff user. While Redis cannot be asked,
 * the socket keeps its benefit of the doubt: dropping every tablet during a blip helps nobody.
 */
function stillSignedIn(req: Request, logger: Logger): Promise<boolean> {
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
