import { z } from '../http/zod';
import { defineRoute, errors } from '../http/route';
import { IdParams } from '../http/schemas';
import { actorOf } from '../auth/guard';
import { limitJoins } from '../http/rateLimits';
import { requireTextsOn } from '../notify/phone';
import { CallNextBody, ExtendHoldBody, JoinBody, CreatedReservationSchema, ReservationPatchBody, ReservationQuery, ReservationSchema } from './schemas';
import { applyAction, callNextParty, deleteReservation, getReservation, joinQueue, listReservations, updateReservation } from './service';
import { TRANSITIONS, type QueueAction } from './states';

/** The HTTP path of each staff action (the client's buttons are generated from these and the state machine). */
export const ACTION_PATHS: Array<{ path: string; action: QueueAction; summary: string }> = [
  { path: 'call', action: 'call', summary: 'Call a waiting party (starts the hold)' },
  { path: 'seat', action: 'seat', summary: 'Seat a called party' },
  { path: 'finish', action: 'finish', summary: 'A seated party finished; frees the copy' },
  { path: 'no-show', action: 'no_show', summary: 'A called party did not come' },
  { path: 'cancel', action: 'cancel', summary: 'Cancel a waiting or called party' },
  { path: 'uncall', action: 'uncall', summary: 'Undo a call: the party waits again at its place' },
  { path: 'unseat', action: 'unseat', summary: 'Undo a seating: the party is called again, with a fresh hold' },
  { path: 'unfinish', action: 'unfinish', summary: 'Undo a finish within REVERT_FINISHED_MINUTES: seated again, if a copy is free' },
  { path: 'reinstate', action: 'reinstate', summary: 'A no-show or cancelled party waits again at its original place (while its ticket resolves)' },
  { path: 'requeue', action: 'requeue', summary: 'A no-show waits again, at the back of the queue' },
  { path: 'extend-hold', action: 'extend_hold', summary: "Give a called party more time: the hold ends N minutes later (body optional)" },
  { path: 'wrapping-up', action: 'wrap_up', summary: 'Mark a seated table as wrapping up (its last round): the waits behind it shorten' },
  { path: 'move-up', action: 'move_up', summary: 'A waiting party swaps places with the one ahead (staff only; the board shows only positions)' },
  { path: 'move-down', action: 'move_down', summary: 'A waiting party swaps places with the one behind' },
];

export const reservationRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/games/:id/reservations',
    summary: "Join a game's queue (public, rate-limited; staff add walk-ins the same way)",
    tag: 'reservations',
    access: 'public',
    params: IdParams,
    body: JoinBody,
    before: (ctx) => limitJoins(ctx.limits),
    responses: { 201: { description: 'In the queue', schema: CreatedReservationSchema }, ...errors(400, 404, 409, 429, 503) },
    handler: async (ctx, { params, body }, req, res) => {
      requireTextsOn(ctx.config, body.phone);
      const deviceId = (res.locals.deviceId as string | undefined) ?? null;
      const { reservation, secret } = await joinQueue(ctx, params.id, { ...body, deviceId }, actorOf(req));
      return { status: 201, body: { ...reservation, secret } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/reservations',
    summary: 'Reservations in queue order, filtered by game and status',
    tag: 'reservations',
    access: 'staff',
    query: ReservationQuery,
    responses: { 200: { description: 'Reservations', schema: z.array(ReservationSchema) }, ...errors(400, 401) },
    handler: async (ctx, { query }) => ({ status: 200, body: await listReservations(ctx, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/reservations/:id',
    summary: 'One reservation',
    tag: 'reservations',
    access: 'staff',
    params: IdParams,
    responses: { 200: { description: 'The reservation', schema: ReservationSchema }, ...errors(400, 401, 404) },
    handler: async (ctx, { params }) => ({ status: 200, body: await getReservation(ctx, params.id) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/reservations/:id',
    summary: "Fix a party's name, size or table; never changes the order",
    tag: 'reservations',
    access: 'staff',
    params: IdParams,
    body: ReservationPatchBody,
    responses: { 200: { description: 'Updated', schema: ReservationSchema }, ...errors(400, 401, 404) },
    handler: async (ctx, { params, body }, req) => ({ status: 200, body: await updateReservation(ctx, params.id, body, actorOf(req)) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/reservations/:id',
    summary: 'Remove a reservation (use cancel to keep history)',
    tag: 'reservations',
    access: 'staff',
    params: IdParams,
    responses: { 204: { description: 'Removed' }, ...errors(400, 401, 404) },
    handler: async (ctx, { params }, req) => {
      await deleteReservation(ctx, params.id, actorOf(req));
      return { status: 204 };
    },
  }),
  ...ACTION_PATHS.map(({ path, action, summary }) =>
    defineRoute({
      method: 'post',
      path: `/api/reservations/:id/${path}`,
      summary,
      tag: 'queue',
      access: 'staff',
      params: IdParams,
      body: TRANSITIONS[action].extendsHold ? ExtendHoldBody : undefined,
      responses: { 200: { description: 'The reservation after the change', schema: ReservationSchema }, ...errors(400, 401, 404, 409) },
      handler: async (ctx, { params, body }, req) => ({ status: 200, body: await applyAction(ctx, params.id, action, actorOf(req), body ?? {}) }),
    }),
  ),
  defineRoute({
    method: 'post',
    path: '/api/games/:id/call-next',
    summary: 'Call the party at the head of the queue; 409 when nobody waits or no copy is free',
    tag: 'queue',
    access: 'staff',
    params: IdParams,
    body: CallNextBody,
    responses: { 200: { description: 'The party called', schema: ReservationSchema }, ...errors(400, 401, 404, 409) },
    handler: async (ctx, { params, body }, req) => ({ status: 200, body: await callNextParty(ctx, params.id, actorOf(req), body.seenInUse) }),
  }),
];
