import RedisStore from 'connect-redis';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { AppContext } from '../context';

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
