import type { AppContext } from '../context';
import { Conflict, NotFound } from '../errors';
import { Game } from '../models/Game';
import { afterCommit } from '../queue/effects';
import { activeCount, inTransaction, lockGame } from '../queue/repository';
import { ACTIVE } from '../queue/states';
import { findGameView } from './repository';
import { isUniqueViolation } from '../db/errors';
import type { GamePatch, GameView, NewGame } from './schemas';

function duplicateTitle(err: unknown, title: string | undefined): Error {
  if (isUniqueViolation(err)) return new Conflict(`A game called "${title}" already exists`, { precise: { code: 'game_title_taken', params: { title: title ?? '' } } });
  return err as Error;
}

async function viewOf(ctx: AppContext, id: number): Promise<GameView> {
  const view = await findGameView(ctx.knex, id);
  if (!view) throw new NotFound('No game with that id', { precise: { code: 'game_not_found' } });
  return view;
}

export async function createGame(ctx: AppContext, input: NewGame): Promise<GameView> {
  const game = await Game.query(ctx.knex)
    .insert(input)
    .catch((err) => {
      throw duplicateTitle(err, input.title);
    });
  await afterCommit(ctx, { gameId: game.id });
  return viewOf(ctx, game.id);
}

export async function updateGame(ctx: AppContext, id: number, patch: GamePatch): Promise<GameView> {
  await inTransaction(ctx.knex, async (trx) => {
    const game = await lockGame(trx, id);
    if (!game) throw new NotFound('No game with that id', { precise: { code: 'game_not_found' } });
    const min = patch.minPlayers ?? game.minPlayers;
    const max = patch.maxPlayers ?? game.maxPlayers;
    if (min > max) throw new Conflict(`minPlayers (${min}) cannot be more than maxPlayers (${max})`, { precise: { code: 'players_out_of_order', params: { min, max } } });
    await Game.query(trx)
      .patch({ ...patch, updatedAt: trx.raw('CURRENT_TIMESTAMP(3)') as unknown as Date })
      .findById(id)
      .catch((err) => {
        throw duplicateTitle(err, patch.title);
      });
  });
  // More copies, or auto-advance switched on, may mean parties are now owed a call.
  await afterCommit(ctx, { gameId: id, mayAdvance: true });
  return viewOf(ctx, id);
}

export async function deleteGame(ctx: AppContext, id: number): Promise<void> {
  await inTransaction(ctx.knex, async (trx) => {
    const game = await lockGame(trx, id);
    if (!game) throw new NotFound('No game with that id', { precise: { code: 'game_not_found' } });
    const active = await activeCount(trx, id, ACTIVE);
    if (active > 0) {
      throw new Conflict(`"${game.title}" still has ${active} waiting, called or seated ${active === 1 ? 'party' : 'parties'}; finish or cancel them first`, {
        precise: { code: 'game_has_parties', params: { title: game.title, parties: active } },
      });
    }
    await Game.query(trx).deleteById(id);
  });
  await afterCommit(ctx, { gameId: id });
}
