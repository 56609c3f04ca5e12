import { defineRoute, errors } from '../http/route';
import { readOpeningHours } from '../settings/openingHours';
import { historyStats, HistorySchema } from './history';
import { DateRangeQuery } from './range';
import { EVENTS_EXPORT, RESERVATIONS_EXPORT, streamCsv, type AnyExport } from './exports';
import { cafeTimeZone } from '../settings/identity';

const csvResponse = (what: string) => ({ description: `${what} as CSV (text/csv, a header line, one line per row; times in UTC and in CAFE_TIMEZONE)` });

export const historyRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/history',
    summary: 'Numbers for a range of café days (CAFE_TIMEZONE): served, no-shows, cancellations, waits, per game with copy utilisation, per hour of day',
    tag: 'history',
    access: 'staff',
    query: DateRangeQuery,
    responses: { 200: { description: 'History', schema: HistorySchema }, ...errors(400, 401) },
    handler: async (ctx, { query }) => {
      const { value: hours } = await readOpeningHours(ctx);
      return { status: 200, body: await historyStats(ctx.knex, query, await cafeTimeZone(ctx), hours) };
    },
  }),
  ...[
    { spec: RESERVATIONS_EXPORT as AnyExport, summary: 'Download the reservations that joined in a range of café days (streamed CSV)', what: 'Reservations' },
    { spec: EVENTS_EXPORT, summary: 'Download the event log of a range of café days (streamed CSV)', what: 'Events' },
  ].map(({ spec, summary, what }) =>
    defineRoute({
      method: 'get',
      path: `/api/history/${spec.name}.csv`,
      summary,
      tag: 'history',
      access: 'staff',
      query: DateRangeQuery,
      responses: { 200: csvResponse(what), ...errors(400, 401, 503) },
      handler: async (ctx, { query }, _req, res) => {
        await streamCsv(ctx.knex, res, spec, query, await cafeTimeZone(ctx));
        return { status: 200 };
      },
    }),
  ),
];

