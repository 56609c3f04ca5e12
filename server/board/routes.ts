import { defineRoute } from '../http/route';
import { BoardSchema, buildBoard } from './board';

export const boardRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/board',
    summary: 'What the TV shows: per game who is called and who waits (no personal data)',
    tag: 'board',
    access: 'public',
    responses: { 200: { description: 'The board', schema: BoardSchema } },
    handler: async (ctx) => ({ status: 200, body: await buildBoard(ctx.knex) }),
  }),
];
