// Realtime pipeline, step 4 of 4, for phones: notifier → announcer → publisher → namespaces/ticket.ts.
// The publisher's tickets reach the room of each watched code; this file puts a phone in its
// room and answers `watch` and `resync` itself.
import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { NotFound, RateLimited } from '../../errors';
import { lookUpTicket, type TicketMisses } from '../../http/rateLimits';
import type { Logger } from '../../logger';
import { isValidCode } from '../../queue/ordering';
import { NAMESPACES, ticketRoom, type ClientEvents, type TicketServerEvents, type WatchAck } from '../contract';
import type { LatestReads } from '../latest';

/**
 * `watch` and `resync` per socket: a burst of this many, then this many a second. A phone
 * sends one on each (re)connect; a script sending thousands gets the rest refused unread.
 */
const WATCH_BURST = 5;
const WATCH_PER_SECOND = 2;

/** `/ticket` (public): a phone watches one code at a time; the room brings it the publisher's updates. */
export function serveTickets(io: Server, latest: LatestReads, logger: Logger, guard: MissGuard): void {
  io.of(NAMESPACES.ticket).on('connection', (socket: Socket<ClientEvents, TicketServerEvents>) => watchTickets(socket, latest, logger, guard));
}

/** Unknown codes are counted per client address, as for `GET /api/tickets/:code`. */
interface MissGuard {
  misses: TicketMisses;
  addressOf: (req: IncomingMessage) => string;
}

function watchTickets(socket: Socket<ClientEvents, TicketServerEvents>, latest: LatestReads, logger: Logger, guard: MissGuard): void {
  const address = guard.addressOf(socket.request);
  let watched: string | undefined;
  const allowed = tokenBucket(WATCH_BURST, WATCH_PER_SECOND);

  const send = async (code: string): Promise<WatchAck> => {
    try {
      // From memory while nothing changed; phones asking for one code at once share one read.
      const { version, ticket } = await lookUpTicket(guard.misses, address, () => latest.ticket(code));
      if (watched === code) socket.emit('ticket', { ...ticket, version });
      return { ok: true };
    } catch (err) {
      if (err instanceof RateLimited) return { ok: false, error: { code: 'rate_limited', message: err.message } };
      if (err instanceof NotFound) {
        if (watched === code) {
          void socket.leave(ticketRoom(code));
          watched = undefined;
        }
        return { ok: false, error: { code: 'not_found', message: err.message } };
      }
      logger.error({ err, code }, 'could not send a ticket');
      return { ok: false, error: { code: 'unavailable', message: 'Could not load the ticket; try again' } };
    }
  };

  socket.on('watch', (payload, ack) => {
    const reply = typeof ack === 'function' ? ack : () => undefined;
    if (!allowed()) {
      reply({ ok: false, error: { code: 'rate_limited', message: `At most ${WATCH_PER_SECOND} watches a second; try again shortly` } });
      return;
    }
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
    if (watched && allowed()) void send(watched);
  });
}

/** Whether one more event fits: `capacity` at once, refilled at `perSecond`. */
function tokenBucket(capacity: number, perSecond: number): () => boolean {
  let tokens = capacity;
  let last = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(capacity, tokens + ((now - last) / 1000) * perSecond);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}
