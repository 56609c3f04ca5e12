import { z } from '../http/zod';
import { defineRoute, errors } from '../http/route';
import { IdParams } from '../http/schemas';
import type { AppContext } from '../context';
import { Conflict, Unauthenticated, ValidationFailed } from '../errors';
import { StaffUser } from '../models/StaffUser';
import { dummyVerify, verifyPassword } from './passwords';
import { PasswordRule } from './passwordRule';
import { createStaffUser, deleteStaffUser, setStaffPassword, setStaffRole, toUser } from './users';
import { actorOf, sessionUser } from './guard';
import { recordAudit } from '../audit/log';
import { sessionUserOf } from './accounts';
import { startSession } from './session';
import { beginPasswordAttempt, forgetTrustedDevices } from './loginThrottle';

const Role = z.enum(['admin', 'staff']);
export const UserSchema = z.object({ id: z.number().int(), username: z.string(), role: Role }).openapi('User');
const UserBody = z.object({ user: UserSchema });

const LoginBody = z.object({
  username: z.string().trim().min(1, 'Enter a username').max(60),
  password: z.string().min(1, 'Enter a password').max(200),
});

const NewUserBody = z.object({
  username: z.string().trim().min(1).max(60).regex(/^[A-Za-z0-9_.-]+$/, 'Letters, digits, dot, dash and underscore only'),
  password: PasswordRule,
  role: Role.default('staff'),
});

const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(200),
  newPassword: PasswordRule,
});
const PasswordResetBody = z.object({ password: PasswordRule });
const RoleBody = z.object({ role: Role });

const BAD_CREDENTIALS = 'Wrong username or password';

/**
 * After an account changed on this instance: its next request here sees the change at once
 * (other instances within the account cache's few seconds). A new password or a deleted
 * account also stops the devices it signed in from skipping the strangers' lockout.
 */
async function accountChanged(ctx: AppContext, user: StaffUser, { forgetDevices }: { forgetDevices: boolean }): Promise<void> {
  ctx.accounts.forget(user.id);
  if (forgetDevices) await forgetTrustedDevices(ctx, user.username);
}

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in as staff; sets an httpOnly session cookie',
    tag: 'auth',
    access: 'public',
    body: LoginBody,
    responses: { 200: { description: 'Signed in', schema: UserBody }, ...errors(400, 401, 429) },
    handler: async (ctx, { body }, req, res) => {
      // Counted before the password is looked at: a burst of guesses cannot outrun the count.
      const attempt = await beginPasswordAttempt(ctx, req, body.username);
      const user = await StaffUser.query(ctx.knex).findOne({ username: body.username });
      const ok = user ? await verifyPassword(user.passwordHash, body.password) : await dummyVerify(body.password);
      if (!user || !ok) {
        await attempt.failed();
        throw new Unauthenticated(BAD_CREDENTIALS, { precise: { code: 'bad_credentials' } });
      }
      await attempt.succeeded(res);
      await startSession(req, sessionUserOf(user));
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
      return { status: 200, body: { user: toUser(user) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/password',
    summary: 'Change your own password (the current one is required); ends your other sessions',
    tag: 'auth',
    access: 'staff',
    body: PasswordChangeBody,
    responses: { 204: { description: 'Changed; this session stays signed in' }, ...errors(400, 401, 429) },
    handler: async (ctx, { body }, req, res) => {
      const me = sessionUser(req)!;
      // A stolen session must not be able to guess the password either: same counters as sign-in.
      const attempt = await beginPasswordAttempt(ctx, req, me.username);
      const user = await StaffUser.query(ctx.knex).findById(me.id);
      if (!user || !(await verifyPassword(user.passwordHash, body.currentPassword))) {
        await attempt.failed();
        throw new ValidationFailed('The current password is not right', { details: [{ path: 'currentPassword', message: 'Wrong password' }], precise: { code: 'wrong_current_password' } });
      }
      const updated = await setStaffPassword(ctx.knex, me.id, body.newPassword);
      // This session first: the moment the change is seen, every other session is over, and
      // this tablet's socket reconnects under the new session id it is about to receive.
      await startSession(req, sessionUserOf(updated));
      await accountChanged(ctx, updated, { forgetDevices: true });
      await attempt.succeeded(res);
      await recordAudit(ctx.knex, { actor: actorOf(req), type: 'password_changed', subject: updated.username });
      ctx.logger.info({ user: updated.username }, 'staff changed their password');
      return { status: 204 };
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
    handler: async (ctx, { body }, req) => {
      const user = await createStaffUser(ctx.knex, body.username, body.password, body.role);
      await recordAudit(ctx.knex, { actor: actorOf(req), type: 'account_created', subject: user.username, details: { role: user.role } });
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
      const deleted = await deleteStaffUser(ctx.knex, params.id, sessionUser(req)!.id);
      await accountChanged(ctx, deleted, { forgetDevices: true });
      await recordAudit(ctx.knex, { actor: actorOf(req), type: 'account_deleted', subject: deleted.username });
      ctx.logger.info({ user: deleted.username, by: sessionUser(req)!.username }, 'staff account deleted');
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/users/:id',
    summary: "Change a staff account's role (admin); applies to its open sessions at once",
    tag: 'auth',
    access: 'admin',
    params: IdParams,
    body: RoleBody,
    responses: { 200: { description: 'Changed', schema: UserSchema }, ...errors(400, 401, 403, 404, 409) },
    handler: async (ctx, { params, body }, req) => {
      const user = await setStaffRole(ctx.knex, params.id, body.role, sessionUser(req)!.id);
      await accountChanged(ctx, user, { forgetDevices: false });
      await recordAudit(ctx.knex, { actor: actorOf(req), type: 'role_changed', subject: user.username, details: { role: user.role } });
      ctx.logger.info({ user: user.username, role: user.role, by: sessionUser(req)!.username }, 'staff role changed');
      return { status: 200, body: toUser(user) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/users/:id/password',
    summary: "Reset a staff account's password (admin); ends all of its sessions",
    tag: 'auth',
    access: 'admin',
    params: IdParams,
    body: PasswordResetBody,
    responses: { 204: { description: 'Reset' }, ...errors(400, 401, 403, 404, 409) },
    handler: async (ctx, { params, body }, req) => {
      const me = sessionUser(req)!;
      // Resetting needs no current password, so one's own goes through the change route.
      if (params.id === me.id) throw new Conflict('Change your own password with your current one (Account)', { precise: { code: 'cannot_reset_own_password' } });
      const user = await setStaffPassword(ctx.knex, params.id, body.password);
      await accountChanged(ctx, user, { forgetDevices: true });
      await recordAudit(ctx.knex, { actor: actorOf(req), type: 'password_reset', subject: user.username });
      ctx.logger.info({ user: user.username, by: me.username }, 'staff password reset');
      return { status: 204 };
    },
  }),
];
