import { defineRoute } from '../http/route';
import { latestReads } from '../realtime/latest';
import { BoardSchema } from './board';

export const boardRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/board',
    summary: 'What the TV shows: per game who is called and who waits (no personal data)',
    tag: 'board',
    access: 'public',
    responses: { 200: { description: 'The board', schema: BoardSchema } },
    // The /board socket's snapshot, from memory while nothing changed.
    handler: async (ctx) => ({ status: 200, body: await latestReads(ctx).board() }),
  }),
];
