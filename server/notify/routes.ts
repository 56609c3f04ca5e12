import { defineRoute, errors } from '../http/route';
import { actorOf } from '../auth/guard';
import { lookUpTicket } from '../http/rateLimits';
import { CodeParams } from '../queue/schemas';
import { ticketBySecret } from '../queue/service';
import { NotifiedSchema, NotifyAgainBody, NotifyOptionsSchema, SubscribeBody, UnsubscribeBody } from './schemas';
import { notifyAgain, subscribe, unsubscribe } from './service';
import { vapidKeys } from './vapid';

export const notifyRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/notifications/options',
    summary: 'What a phone may turn on: the Web Push key, whether texts are sent',
    tag: 'notifications',
    access: 'public',
    responses: { 200: { description: 'The options', schema: NotifyOptionsSchema }, ...errors(503) },
    handler: async (ctx) => ({
      status: 200,
      body: {
        pushPublicKey: (await vapidKeys(ctx.knex, ctx.config)).publicKey,
        textMessages: ctx.config.notify.sms !== null,
        almostPosition: ctx.config.notify.almostPosition,
      },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tickets/:code/push',
    summary: 'Turn on push notifications for this ticket (with the secret from joining)',
    tag: 'notifications',
    access: 'public',
    params: CodeParams,
    body: SubscribeBody,
    responses: { 204: { description: 'Subscribed' }, ...errors(400, 403, 404, 409, 429) },
    handler: async (ctx, { params, body }, req) => {
      const ticket = await lookUpTicket(ctx.limits.ticketMisses, req.ip ?? 'unknown', () => ticketBySecret(ctx, params.code, body.secret));
      await subscribe(ctx, ticket, body.subscription);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/tickets/:code/push',
    summary: 'Turn push notifications off for this ticket in this browser',
    tag: 'notifications',
    access: 'public',
    params: CodeParams,
    body: UnsubscribeBody,
    responses: { 204: { description: 'Unsubscribed' }, ...errors(400, 403, 404, 429) },
    handler: async (ctx, { params, body }, req) => {
      const ticket = await lookUpTicket(ctx.limits.ticketMisses, req.ip ?? 'unknown', () => ticketBySecret(ctx, params.code, body.secret));
      await unsubscribe(ctx, ticket, body.endpoint);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/notifications',
    summary: 'Notify a waiting or called party again, on every channel it has (at most every NOTIFY_AGAIN_SECONDS)',
    tag: 'notifications',
    access: 'staff',
    body: NotifyAgainBody,
    responses: { 202: { description: 'Queued', schema: NotifiedSchema }, ...errors(400, 401, 404, 409, 429) },
    handler: async (ctx, { body }, req) => ({ status: 202, body: await notifyAgain(ctx, body.reservationId, actorOf(req)) }),
  }),
];
