import { defineRoute, errors } from '../http/route';
import { CancelTicketBody, CodeParams, TicketSchema } from '../queue/schemas';
import { cancelByCustomer } from '../queue/service';
import { latestReads } from '../realtime/latest';
import { lookUpTicket } from '../http/rateLimits';
import { buildTicket } from './tickets';

export const ticketRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/tickets/:code',
    summary: "A customer's own ticket: position, estimate, status",
    tag: 'tickets',
    access: 'public',
    params: CodeParams,
    responses: { 200: { description: 'The ticket', schema: TicketSchema }, ...errors(400, 404, 429) },
    // From memory while nothing changed, as the /ticket socket's `watch`; unknown codes are
    // counted per address (TICKET_MISS_LIMIT a minute), so the code space cannot be enumerated.
    handler: async (ctx, { params }, req) => ({
      status: 200,
      body: (await lookUpTicket(ctx.limits.ticketMisses, req.ip ?? 'unknown', () => latestReads(ctx).ticket(params.code))).ticket,
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:code/cancel',
    summary: 'Leave the queue with the secret returned on joining',
    tag: 'tickets',
    access: 'public',
    params: CodeParams,
    body: CancelTicketBody,
    responses: { 200: { description: 'Left the queue', schema: TicketSchema }, ...errors(400, 403, 404, 409, 429) },
    handler: async (ctx, { params, body }, req) => {
      await lookUpTicket(ctx.limits.ticketMisses, req.ip ?? 'unknown', () => cancelByCustomer(ctx, params.code, body.secret));
      return { status: 200, body: await buildTicket(ctx.knex, params.code) };
    },
  }),
];
