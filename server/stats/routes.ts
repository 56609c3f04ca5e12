import { defineRoute, errors } from '../http/route';
import { StatsSchema, statsToday } from './stats';
import { cafeTimeZone } from '../settings/identity';

export const statsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/stats/today',
    summary: "Today's numbers (in CAFE_TIMEZONE): served, no-shows, cancelled, waits, per game",
    tag: 'stats',
    access: 'staff',
    responses: { 200: { description: 'Statistics', schema: StatsSchema }, ...errors(401) },
    handler: async (ctx) => ({ status: 200, body: await statsToday(ctx.knex, await cafeTimeZone(ctx)) }),
  }),
];
