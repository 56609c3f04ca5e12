import type { Request, RequestHandler } from 'express';
import type { Metrics } from './metrics';

/** Tool pages mounted whole: one label each, whatever their own routers match inside. */
const MOUNTED_TOOLS = ['/staff/queues', '/api/docs'];

/**
 * The route label of a request: the pattern of the route that answered it (`/api/games/:id`),
 * never the URL, so ids and codes never become labels. Requests no route answered are
 * `unmatched` (404) or `other` (the static client, a refusal before routing).
 */
export function routeLabel(req: Request, status: number): string {
  const tool = MOUNTED_TOOLS.find((prefix) => req.originalUrl === prefix || req.originalUrl.startsWith(`${prefix}/`));
  if (tool) return tool;
  // API routes name their whole pattern (mountRoutes); other routers' patterns are their own.
  const pattern = (req.res?.locals.routePattern as unknown) ?? (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return pattern;
  return status === 404 ? 'unmatched' : 'other';
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts and times every answered request by method, route and status. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest(METHODS.has(req.method) ? req.method : 'other', routeLabel(req, res.statusCode), res.statusCode, seconds);
    });
    next();
  };
}
