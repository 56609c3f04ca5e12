import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import { AppError, NotFound, PayloadTooLarge, RateLimited, Unavailable, UnsupportedMediaType, ValidationFailed } from '../errors';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK']);

/**
 * Errors that mean a dependency (MySQL, Redis) is unreachable or overloaded, not a bug. A
 * deadlock outside the queue's `inTransaction()` (which retries it first) is a "try again" too.
 */
function dependencyFailure(err: unknown): string | null {
  const e = err as { code?: string; name?: string; message?: string };
  if (e?.code && NETWORK_CODES.has(e.code)) return e.code;
  if (e?.name === 'KnexTimeoutError') return 'database pool timeout';
  if (/Stream isn't writeable|Connection is closed|Reached the max retries per request/i.test(e?.message ?? '')) return 'redis';
  return null;
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Turns any error into the JSON shape of docs/API.md#errors; only a real bug becomes a 500. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let error: AppError;
    const bodyError = err as BodyParserError;
    if (err instanceof AppError) error = err;
    else if (bodyError?.type === 'entity.too.large') error = new PayloadTooLarge('The request body is too large');
    else if (bodyError?.type === 'entity.parse.failed') error = new ValidationFailed('The request body is not valid JSON', { details: [{ path: 'body', message: 'Malformed JSON' }] });
    else if (bodyError?.type === 'charset.unsupported' || bodyError?.type === 'encoding.unsupported') error = new UnsupportedMediaType('Send the body as UTF-8 JSON');
    else if (bodyError?.status && bodyError.status >= 400 && bodyError.status < 500) error = new ValidationFailed('The request could not be read');
    else {
      const dependency = dependencyFailure(err);
      if (dependency) {
        req.log?.error({ err, dependency }, 'dependency unavailable');
        error = new Unavailable('The service is temporarily unavailable; please try again shortly');
      } else {
        (req.log ?? logger).error({ err }, 'unhandled error');
        res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side', params: {}, details: [] } });
        return;
      }
    }
    if (error instanceof RateLimited) res.set('Retry-After', String(error.retryAfterSeconds));
    if (error.status >= 500) res.set('Retry-After', '5');
    res.status(error.status).json({ error: { code: error.code, message: error.message, params: error.params, details: error.details } });
  };
}

/** 415 for a body that is not JSON, before the JSON parser sees it. */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction) {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) return next(new UnsupportedMediaType('Send the body as application/json'));
  return next();
}

export function notFound(req: Request, _res: Response, next: NextFunction) {
  next(new NotFound(`Nothing at ${req.method} ${req.path}`));
}
