import { defineRoute } from '../http/route';
import { boardSnapshot, readQueues } from '../realtime/snapshots';
import { BoardSchema } from './board';

export const boardRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/board',
    summary: 'What the TV shows: per game who is called and who waits (no personal data)',
    tag: 'board',
    access: 'public',
    responses: { 200: { description: 'The board', schema: BoardSchema } },
    // The same read and shape as the /board socket snapshot.
    handler: async (ctx) => ({ status: 200, body: boardSnapshot(await readQueues(ctx.knex)) }),
  }),
];
