import { defineRoute, errors } from '../http/route';
import { CancelTicketBody, CodeParams, TicketSchema } from '../queue/schemas';
import { cancelByCustomer } from '../queue/service';
import { latestReads } from '../realtime/latest';
import { buildTicket } from './tickets';

export const ticketRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/tickets/:code',
    summary: "A customer's own ticket: position, estimate, status",
    tag: 'tickets',
    access: 'public',
    params: CodeParams,
    responses: { 200: { description: 'The ticket', schema: TicketSchema }, ...errors(400, 404) },
    // From memory while nothing changed, as the /ticket socket's `watch`.
    handler: async (ctx, { params }) => ({ status: 200, body: (await latestReads(ctx).ticket(params.code)).ticket }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:code/cancel',
    summary: 'Leave the queue with the secret returned on joining',
    tag: 'tickets',
    access: 'public',
    params: CodeParams,
    body: CancelTicketBody,
    responses: { 200: { description: 'Left the queue', schema: TicketSchema }, ...errors(400, 403, 404, 409) },
    handler: async (ctx, { params, body }) => {
      await cancelByCustomer(ctx, params.code, body.secret);
      return { status: 200, body: await buildTicket(ctx.knex, params.code) };
    },
  }),
];
