// Realtime pipeline, step 4 of 4, for phones: notifier → announcer → publisher → namespaces/ticket.ts.
// The publisher's tickets reach the room of each watched code; this file puts a phone in its
// room and answers `watch` and `resync` itself.
import type { Knex } from 'knex';
import type { Server, Socket } from 'socket.io';
import { NotFound } from '../../errors';
import type { Logger } from '../../logger';
import { isValidCode } from '../../queue/ordering';
import { buildTicket } from '../../tickets/tickets';
import { NAMESPACES, ticketRoom, type ClientEvents, type TicketServerEvents, type WatchAck } from '../contract';
import { currentVersion } from '../version';

/** `/ticket` (public): a phone watches one code at a time; the room brings it the publisher's updates. */
export function serveTickets(io: Server, knex: Knex, logger: Logger): void {
  io.of(NAMESPACES.ticket).on('connection', (socket: Socket<ClientEvents, TicketServerEvents>) => watchTickets(socket, knex, logger));
}

function watchTickets(socket: Socket<ClientEvents, TicketServerEvents>, knex: Knex, logger: Logger): void {
  let watched: string | undefined;

  const send = async (code: string): Promise<WatchAck> => {
    try {
      // Version first, then data, as everywhere: the data is at least that new.
      const version = await currentVersion(knex);
      const body = await buildTicket(knex, code);
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
      logger.error({ err, code }, 'could not send a ticket');
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
