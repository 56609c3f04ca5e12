import { randomUUID } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { AppContext } from './context';
import { authRoutes } from './auth/routes';
import { gameRoutes } from './games/routes';
import { reservationRoutes } from './queue/routes';
import { ticketRoutes } from './tickets/routes';
import { notifyRoutes } from './notify/routes';
import { boardRoutes } from './board/routes';
import { StaffGameSchema } from './board/board';
import { statsRoutes } from './stats/routes';
import { settingsRoutes } from './settings/routes';
import { LOGO_MAX_BYTES } from './settings/logo';
import { closeOutRoutes } from './closeout/routes';
import { historyRoutes } from './history/routes';
import { auditRoutes } from './audit/routes';
import { healthDocs, healthRouter } from './health/routes';
import { httpMetrics } from './metrics/http';
import { mountRoutes, type RouteDefinition } from './http/route';
import { buildOpenApiDocument } from './http/openapi';
import { errorHandler, notFound, requireJsonBody } from './http/errorHandler';
import { clientRouter, defaultClientDir } from './http/client';
import { sessionUser } from './auth/guard';
import { SESSION_COOKIE } from './auth/session';
import { checkSessionAccount } from './auth/accounts';
import { requireSameOrigin } from './http/sameOrigin';
import { Forbidden, Unauthenticated } from './errors';

export const apiRoutes: RouteDefinition[] = [
  ...authRoutes,
  ...gameRoutes,
  ...reservationRoutes,
  ...ticketRoutes,
  ...notifyRoutes,
  ...boardRoutes,
  ...statsRoutes,
  ...settingsRoutes,
  ...closeOutRoutes,
  ...historyRoutes,
  ...auditRoutes,
];

export function openApiDocument() {
  return buildOpenApiDocument(apiRoutes, healthDocs, { StaffGame: StaffGameSchema });
}

const strictCsp = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      upgradeInsecureRequests: null,
    },
  },
});
// Bull Board and Swagger UI ship inline scripts; they sit behind their own, looser policy.
const toolCsp = helmet({ contentSecurityPolicy: false });

/**
 * Admin-only tool pages (Bull Board can pause the engine): send a browser to sign in, an API
 * client a 401, plain staff a 403.
 */
const adminPage: RequestHandler = (req, res, next) => {
  const user = sessionUser(req);
  if (user?.role === 'admin') return next();
  if (user) return next(new Forbidden('Only an admin can see the job queues', { precise: { code: 'admin_only' } }));
  if (req.accepts(['json', 'html']) === 'html') return res.redirect(302, '/staff');
  return next(new Unauthenticated());
};

/**
 * Customers never have a session, and joins are the hot path: only requests that carry the
 * session cookie (or are signing in) pay for loading one.
 */
function sessionWhenSignedIn(session: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.baseUrl + req.path === '/api/auth/login' || req.headers.cookie?.includes(`${SESSION_COOKIE}=`)) return session(req, res, next);
    return next();
  };
}

export interface AppOptions {
  session: RequestHandler;
  isShuttingDown: () => boolean;
}

/** Wires the capabilities together; the rules live in each capability's own folder. */
export function createApp(ctx: AppContext, options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(httpMetrics(ctx.metrics));

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // The serialisers below pick three fields from the request itself: wrapping them in
      // pino's standard ones (the default) copied every header of every request first, to throw
      // the copy away (bench/README.md, round 4). The log lines are the same.
      wrapSerializers: false,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );

  app.use(healthRouter(ctx, options.isShuttingDown));
  // Before every route that can change state, Bull Board's included (docs/SECURITY.md).
  app.use(requireSameOrigin(ctx.config.publicOrigins));

  const document = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/api/docs', toolCsp, swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Meeple Queue API' }));

  app.use(strictCsp);
  const api = Router();
  const account = checkSessionAccount(ctx.accounts);
  // The logo upload is the one larger body (base64; room to say how far over LOGO_MAX_BYTES it is); a body parsed here is not parsed again.
  api.use('/api/settings/cafe/logo', requireJsonBody, express.json({ limit: LOGO_MAX_BYTES * 2 }));
  api.use('/api', requireJsonBody, express.json({ limit: '16kb' }), sessionWhenSignedIn(options.session), account);
  mountRoutes(api, ctx, apiRoutes);
  app.use(api);

  const board = new ExpressAdapter();
  board.setBasePath('/staff/queues');
  // The engine can be paused from here; the messages to phones are shown (failures, delays) but
  // read-only: a paused notify queue would silently keep calls from reaching pockets.
  createBullBoard({
    queues: [new BullMQAdapter(ctx.jobs.queue, { readOnlyMode: false }), new BullMQAdapter(ctx.jobs.notify, { readOnlyMode: true })],
    serverAdapter: board,
  });
  app.use('/staff/queues', toolCsp, options.session, account, adminPage, board.getRouter());

  if (ctx.config.client.serve) {
    const client = clientRouter(ctx.config.client.dir ?? defaultClientDir());
    if (client) app.use(client);
    else ctx.logger.warn('the client is not built (npm run build:client); serving the API only');
  }

  app.use(notFound);
  app.use(errorHandler(ctx.logger));
  return app;
}
