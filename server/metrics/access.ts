import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Forbidden, Unauthenticated } from '../errors';

/** Headers a reverse proxy adds: a request carrying one was relayed, whatever its socket says. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** Same length whatever the input, so comparing digests takes the same time for any guess. */
const digest = (value: string) => createHash('sha256').update(value).digest();

function bearerToken(req: Request): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * A connection opened on this machine and not relayed by a proxy. The socket address alone is
 * not enough: Nginx on the same host connects from 127.0.0.1 on every visitor's behalf.
 */
function directFromLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  return loopback && !PROXY_HEADERS.some((header) => header in req.headers);
}

/**
 * Who may read /metrics. With METRICS_TOKEN: whoever sends `Authorization: Bearer <token>`
 * (Prometheus' `authorization` setting), from anywhere; an address says nothing behind Swarm's
 * ingress or a proxy. Without it: direct connections from this machine only.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res, next) => {
    if (!expected) {
      return next(directFromLoopback(req) ? undefined : new Forbidden('Set METRICS_TOKEN to read /metrics from another machine', { precise: { code: 'metrics_remote' } }));
    }
    const given = bearerToken(req);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="metrics"');
    return next(new Unauthenticated('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>', { precise: { code: 'metrics_token' } }));
  };
}
