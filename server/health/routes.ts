import { Router } from 'express';
import type { AppContext } from '../context';
import { z } from '../http/zod';
import type { ExtraPath } from '../http/openapi';
import { ErrorBody } from '../http/schemas';
import { metricsAccess } from '../metrics/access';
import { checkDatabase, checkEngine, checkRedis } from './health';

const HealthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy', 'shutting_down']),
    database: z.enum(['connected', 'disconnected']),
    redis: z.enum(['connected', 'disconnected']),
    engine: z
      .enum(['running', 'paused', 'unknown'])
      .openapi({ description: "The queue engine (BullMQ). Paused (from Bull Board), nobody is called or expired except by reconcile's slower pass: status is 'degraded' (still 200)." }),
  })
  .openapi('Health');

export const healthDocs: ExtraPath[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Readiness: MySQL and Redis both answer',
    tag: 'health',
    responses: { 200: { description: 'Healthy', schema: HealthSchema }, 503: { description: 'Something is down', schema: HealthSchema } },
  },
  { method: 'get', path: '/health/live', summary: 'Liveness: the process serves', tag: 'health', responses: { 200: { description: 'Alive' } } },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: `Authorization: Bearer <METRICS_TOKEN>`, or from this machine when no token is set',
    tag: 'health',
    responses: {
      200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' },
      401: { description: 'METRICS_TOKEN is set and the request does not carry it', schema: ErrorBody },
      403: { description: 'No METRICS_TOKEN is set and the request is not a direct one from this machine', schema: ErrorBody },
    },
  },
];

export function healthRouter(ctx: AppContext, isShuttingDown: () => boolean): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const [database, redis, engine] = await Promise.all([checkDatabase(ctx.knex), checkRedis(ctx.redis), checkEngine(ctx.jobs)]);
    const healthy = database === 'connected' && redis === 'connected' && !isShuttingDown();
    const status = isShuttingDown() ? 'shutting_down' : !healthy ? 'unhealthy' : engine === 'paused' ? 'degraded' : 'healthy';
    res.status(healthy ? 200 : 503).set('Cache-Control', 'no-store').json({ status, database, redis, engine });
  });
  router.get('/health/live', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'alive' });
  });
  router.get('/metrics', metricsAccess(ctx.config.metricsToken), async (_req, res) => {
    res.set('Content-Type', ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  return router;
}
