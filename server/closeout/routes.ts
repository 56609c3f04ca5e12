import { z } from '../http/zod';
import { defineRoute, errors } from '../http/route';
import { recentCloseOuts } from './closeOut';

export const CloseOutSchema = z
  .object({
    cafeDate: z.string().openapi({ description: 'The café day closed out (CAFE_TIMEZONE)' }),
    cutoff: z.string().openapi({ format: 'date-time', description: 'Parties that joined before this were ended' }),
    closedAt: z.string().openapi({ format: 'date-time' }),
    actor: z.string(),
    cancelledWaiting: z.number().int(),
    cancelledCalled: z.number().int(),
    finished: z.number().int(),
    perGame: z.array(z.object({ gameId: z.number().int(), title: z.string(), cancelled: z.number().int(), finished: z.number().int() })),
  })
  .openapi('CloseOut');

export const closeOutRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/close-outs',
    summary: 'The latest end-of-day close-outs: what was left at closing and how it ended',
    tag: 'settings',
    access: 'staff',
    responses: { 200: { description: 'Newest first', schema: z.array(CloseOutSchema) }, ...errors(401) },
    handler: async (ctx) => ({ status: 200, body: await recentCloseOuts(ctx.knex) }),
  }),
];
