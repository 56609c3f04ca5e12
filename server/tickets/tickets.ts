import type { Knex } from 'knex';
import { NotFound } from '../errors';
import { Game } from '../models/Game';
import { findByCode } from '../queue/repository';
import { displayName } from '../queue/ordering';
import { loadQueue, toReservationView, type ReservationView } from '../queue/readModel';
import type { z } from '../http/zod';
import type { TicketSchema } from '../queue/schemas';

export type Ticket = z.infer<typeof TicketSchema>;

/** What a ticket says about its game: the title, and whether it can call anyone now. */
export type TicketGame = Pick<Game, 'title' | 'copies' | 'active'>;

/** A game with no copy to lend, or switched off, calls nobody: its queue only keeps places. */
export const canCall = (game: TicketGame) => game.active && game.copies > 0;

/** A customer's own view of their reservation: what they need, nothing about anyone else. */
export function toTicket(view: ReservationView, game: TicketGame | undefined): Ticket {
  return {
    code: view.code,
    gameId: view.gameId,
    gameTitle: game?.title ?? '',
    displayName: displayName(view.customerName),
    status: view.status,
    position: view.position,
    estimatedWaitMinutes: view.estimatedWaitMinutes,
    estimatedWait: view.estimatedWait,
    holdExpiresAt: view.holdExpiresAt,
    language: view.language,
    gameAvailable: game ? canCall(game) : false,
  };
}

export async function buildTicket(knex: Knex, code: string): Promise<Ticket> {
  const reservation = await findByCode(knex, code);
  if (!reservation) throw new NotFound('No ticket with that code', { precise: { code: 'ticket_not_found' } });
  const [game, queue] = await Promise.all([
    Game.query(knex).findById(reservation.gameId),
    reservation.status === 'waiting' ? loadQueue(knex, reservation.gameId) : Promise.resolve(undefined),
  ]);
  const view = queue?.waiting.find((w) => w.id === reservation.id) ?? toReservationView(reservation);
  return toTicket(view, game);
}
