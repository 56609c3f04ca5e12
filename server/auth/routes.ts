import { z } from '../http/zod';
import { defineRoute, errors } from '../http/route';
import { IdParams } from '../http/schemas';
import { Unauthenticated } from '../errors';
import { StaffUser } from '../models/StaffUser';
import { rateLimitedError } from '../http/rateLimits';
import { dummyVerify, verifyPassword } from './passwords';
import { createStaffUser, deleteStaffUser, toUser } from './users';
import { sessionUser } from './guard';

export const UserSchema = z
  .object({ id: z.number().int(), username: z.string(), role: z.enum(['admin', 'staff']) })
  .openapi('User');
const UserBody = z.object({ user: UserSchema });

const LoginBody = z.object({
  username: z.string().trim().min(1, 'Enter a username').max(60),
  password: z.string().min(1, 'Enter a password').max(200),
});

const NewUserBody = z.object({
  username: z.string().trim().min(1).max(60).regex(/^[A-Za-z0-9_.-]+$/, 'Letters, digits, dot, dash and underscore only'),
  password: z.string().min(10, 'At least 10 characters').max(200),
  role: z.enum(['admin', 'staff']).default('staff'),
});

const BAD_CREDENTIALS = 'Wrong username or password';

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in as staff; sets an httpOnly session cookie',
    tag: 'auth',
    access: 'public',
    body: LoginBody,
    responses: { 200: { description: 'Signed in', schema: UserBody }, ...errors(400, 401, 429) },
    handler: async (ctx, { body }, req) => {
      const ip = req.ip ?? 'unknown';
      const userKey = `${body.username.toLowerCase()}|${ip}`;
      const [byUser, byIp] = await Promise.all([
        ctx.limits.loginFailuresByUserAndIp.get(userKey),
        ctx.limits.loginFailuresByIp.get(ip),
      ]);
      for (const [res, limiter] of [
        [byUser, ctx.limits.loginFailuresByUserAndIp],
        [byIp, ctx.limits.loginFailuresByIp],
      ] as const) {
        if (res && res.consumedPoints >= limiter.points) throw rateLimitedError(res, 'failed sign-ins');
      }

      const user = await StaffUser.query(ctx.knex).findOne({ username: body.username });
      const ok = user ? await verifyPassword(user.passwordHash, body.password) : await dummyVerify(body.password);
      if (!user || !ok) {
        await Promise.all([
          ctx.limits.loginFailuresByUserAndIp.penalty(userKey),
          ctx.limits.loginFailuresByIp.penalty(ip),
        ]);
        throw new Unauthenticated(BAD_CREDENTIALS);
      }
      await ctx.limits.loginFailuresByUserAndIp.delete(userKey);
      // A new session id on sign-in prevents session fixation.
      await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
      req.session.user = toUser(user);
      await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
      ctx.logger.info({ user: user.username }, 'staff signed in');
      return { status: 200, body: { user: toUser(user) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Sign out',
    tag: 'auth',
    access: 'public',
    responses: { 204: { description: 'Signed out' } },
    handler: async (_ctx, _input, req, res) => {
      if (req.session) {
        await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
      }
      res.clearCookie('meeple.sid', { path: '/' });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/auth/me',
    summary: 'The signed-in staff user',
    tag: 'auth',
    access: 'public',
    responses: { 200: { description: 'Signed in', schema: UserBody }, ...errors(401) },
    handler: async (_ctx, _input, req) => {
      const user = sessionUser(req);
      if (!user) throw new Unauthenticated('Not signed in');
      return { status: 200, body: { user } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/users',
    summary: 'Staff accounts (admin)',
    tag: 'auth',
    access: 'admin',
    responses: { 200: { description: 'Accounts', schema: z.array(UserSchema) }, ...errors(401, 403) },
    handler: async (ctx) => {
      const users = await StaffUser.query(ctx.knex).orderBy('username');
      return { status: 200, body: users.map(toUser) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/users',
    summary: 'Create a staff account (admin)',
    tag: 'auth',
    access: 'admin',
    body: NewUserBody,
    responses: { 201: { description: 'Created', schema: UserSchema }, ...errors(400, 401, 403, 409) },
    handler: async (ctx, { body }) => {
      const user = await createStaffUser(ctx.knex, body.username, body.password, body.role);
      return { status: 201, body: toUser(user) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/users/:id',
    summary: 'Delete a staff account (admin)',
    tag: 'auth',
    access: 'admin',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 409) },
    handler: async (ctx, { params }, req) => {
      await deleteStaffUser(ctx.knex, params.id, sessionUser(req)!.id);
      return { status: 204 };
    },
  }),
];
