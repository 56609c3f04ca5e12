import type { Knex } from 'knex';
import { Game } from '../models/Game';
import { joinWaits } from '../queue/readModel';
import type { WaitEstimate } from '../queue/estimates';
import type { GameView } from './schemas';

interface GameRow extends Game {
  copiesInUse: number | string | null;
  waiting: number | string | null;
}

function gamesWithCounts(knex: Knex) {
  return Game.query(knex)
    .select('games.*')
    .select(
      knex.raw("COALESCE(SUM(r.status IN ('called','seated')), 0) AS copies_in_use"),
      knex.raw("COALESCE(SUM(r.status = 'waiting'), 0) AS waiting"),
    )
    .leftJoin('reservations as r', (join) => {
      join.on('r.game_id', 'games.id').onIn('r.status', ['waiting', 'called', 'seated']);
    })
    .groupBy('games.id');
}

export function toGameView(row: GameRow, joinWait: WaitEstimate | null = null): GameView {
  return {
    id: row.id,
    title: row.title,
    minPlayers: row.minPlayers,
    maxPlayers: row.maxPlayers,
    playMinutes: row.playMinutes,
    copies: row.copies,
    maxQueue: row.maxQueue ?? null,
    copiesInUse: Number(row.copiesInUse ?? 0),
    waiting: Number(row.waiting ?? 0),
    joinWait,
    active: Boolean(row.active),
    autoAdvance: Boolean(row.autoAdvance),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listGameViews(knex: Knex): Promise<GameView[]> {
  const rows = (await gamesWithCounts(knex).orderBy('games.title')) as GameRow[];
  return withJoinWaits(knex, rows);
}

export async function findGameView(knex: Knex, id: number): Promise<GameView | undefined> {
  const row = (await gamesWithCounts(knex).where('games.id', id).first()) as GameRow | undefined;
  return row ? (await withJoinWaits(knex, [row]))[0] : undefined;
}

/** Views with the wait a party joining now would be quoted (none for games taking no joins). */
async function withJoinWaits(knex: Knex, rows: GameRow[]): Promise<GameView[]> {
  const open = rows.filter((row) => row.active && row.copies > 0);
  const waits = await joinWaits(knex, open.map((row) => ({ game: row, waiting: Number(row.waiting ?? 0) })));
  return rows.map((row) => toGameView(row, waits.get(row.id) ?? null));
}
