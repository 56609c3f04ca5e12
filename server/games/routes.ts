import { z } from '../http/zod';
import { defineRoute, errors } from '../http/route';
import { IdParams } from '../http/schemas';
import { NotFound } from '../errors';
import { latestReads } from '../realtime/latest';
import { findGameView } from './repository';
import { GamePatchBody, GameSchema, NewGameBody } from './schemas';
import { createGame, deleteGame, updateGame } from './service';

export const gameRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/games',
    summary: 'All games, ordered by title',
    tag: 'games',
    access: 'public',
    responses: { 200: { description: 'Games', schema: z.array(GameSchema) } },
    // From memory while nothing changed: the join page of every phone asks for it.
    handler: async (ctx) => ({ status: 200, body: await latestReads(ctx).games() }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/games/:id',
    summary: 'One game',
    tag: 'games',
    access: 'public',
    params: IdParams,
    responses: { 200: { description: 'The game', schema: GameSchema }, ...errors(400, 404) },
    handler: async (ctx, { params }) => {
      const game = await findGameView(ctx.knex, params.id);
      if (!game) throw new NotFound('No game with that id', { precise: { code: 'game_not_found' } });
      return { status: 200, body: game };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/games',
    summary: 'Add a game',
    tag: 'games',
    access: 'staff',
    body: NewGameBody,
    responses: { 201: { description: 'Created', schema: GameSchema }, ...errors(400, 401, 409) },
    handler: async (ctx, { body }) => ({ status: 201, body: await createGame(ctx, body) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/games/:id',
    summary: 'Change a game (title, players, play time, copies, active, auto-advance)',
    tag: 'games',
    access: 'staff',
    params: IdParams,
    body: GamePatchBody,
    responses: { 200: { description: 'Updated', schema: GameSchema }, ...errors(400, 401, 404, 409) },
    handler: async (ctx, { params, body }) => ({ status: 200, body: await updateGame(ctx, params.id, body) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/games/:id',
    summary: 'Delete a game with no waiting, called or seated parties',
    tag: 'games',
    access: 'staff',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 404, 409) },
    handler: async (ctx, { params }) => {
      await deleteGame(ctx, params.id);
      return { status: 204 };
    },
  }),
];
