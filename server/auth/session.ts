import RedisStore from 'connect-redis';
import session from 'express-session';
import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../context';
import type { SessionUser } from './guard';

export const SESSION_COOKIE = 'meeple.sid';

/** Sessions live in Redis, so they survive restarts and work on every instance. */
export function createSessionMiddleware(ctx: AppContext): RequestHandler {
  const { config } = ctx;
  return session({
    name: SESSION_COOKIE,
    secret: config.session.secret,
    store: new RedisStore({ client: ctx.redis, prefix: `${config.redis.prefix}:sess:`, ttl: config.session.ttlSeconds }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.session.cookieSecure,
      maxAge: config.session.ttlSeconds * 1000,
      path: '/',
    },
  });
}

/**
 * Signs `user` in on this request under a new session id (no session fixation); the old
 * session, if any, is destroyed in Redis.
 */
export async function startSession(req: Request, user: SessionUser): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.user = user;
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}
