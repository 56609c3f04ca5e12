import type { Knex } from 'knex';
import { Game } from '../models/Game';

/** A few real games with realistic copies and play times, so a new install has something to show. */
export const DEMO_GAMES = [
  { title: 'Azul', minPlayers: 2, maxPlayers: 4, playMinutes: 40, copies: 2 },
  { title: 'Catan', minPlayers: 3, maxPlayers: 4, playMinutes: 75, copies: 2 },
  { title: 'Codenames', minPlayers: 4, maxPlayers: 8, playMinutes: 20, copies: 3 },
  { title: 'Pandemic', minPlayers: 2, maxPlayers: 4, playMinutes: 45, copies: 1 },
  { title: 'Ticket to Ride', minPlayers: 2, maxPlayers: 5, playMinutes: 60, copies: 2 },
  { title: 'Wingspan', minPlayers: 1, maxPlayers: 5, playMinutes: 70, copies: 1 },
];

/** Adds the demo games that are not there yet; running it twice changes nothing. */
export async function seedDemoGames(knex: Knex): Promise<number> {
  const existing = new Set((await Game.query(knex).select('title')).map((g) => g.title.toLowerCase()));
  const missing = DEMO_GAMES.filter((g) => !existing.has(g.title.toLowerCase()));
  // Objection batch-inserts only on PostgreSQL; plain knex does it in one statement on MySQL.
  if (missing.length) await knex('games').insert(missing);
  return missing.length;
}
