import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ZodType } from 'zod';
import type { AppContext } from '../context';
import { fieldCodeOf, ValidationFailed } from '../errors';
import { requireRole, type Access } from '../auth/guard';
import { ErrorBody } from './schemas';
import { SerialisedJson } from './serialised';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

/**
 * One definition per endpoint: the same zod schemas validate requests and generate the OpenAPI
 * document, so the document cannot drift from the code.
 */
export interface RouteDefinition<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** `contentType`: what the OpenAPI document says the body is (application/json unless given). */
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  /** Extra middleware run after access checks and before validation (rate limits). */
  before?: (ctx: AppContext) => RequestHandler;
  handler: (ctx: AppContext, input: RouteInput<P, Q, B>, req: Request, res: Response) => Promise<RouteResult>;
}

export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  definition: RouteDefinition<P, Q, B>,
): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.join('.') : where,
    message: issue.message,
    ...fieldCodeOf(issue),
  }));
  throw new ValidationFailed(`The request ${where} is not valid`, { details });
}

/** `/api/games/:id` → `/api/games`: the first two literal segments, which route families share. */
const familyOf = (path: string) => /^\/[^/:]+\/[^/:]+/.exec(path)?.[0] ?? '';

/**
 * Mounts each family of routes (`/api/games…`, `/api/board`…) on a router of its own, in the
 * order the families first appear. Express tries the layers of a router one by one: with every
 * route in one router, a board read was matched against forty routes before its own, a cost
 * every request paid. Now it passes a dozen family prefixes, then the family's few routes.
 * The same requests reach the same handlers: a path has one family, and routes keep their order
 * within it.
 */
export function mountRoutes(router: Router, ctx: AppContext, routes: RouteDefinition[]): void {
  const families = new Map<string, Router>();
  for (const route of routes) {
    const family = familyOf(route.path);
    let familyRouter = families.get(family);
    if (!familyRouter) {
      familyRouter = Router();
      families.set(family, familyRouter);
      router.use(family || '/', familyRouter);
    }
    // The full pattern, for the request metrics (req.route.path is only the part after the family).
    const pattern = route.path;
    const chain: RequestHandler[] = [
      (_req, res, next) => {
        res.locals.routePattern = pattern;
        next();
      },
      requireRole(route.access),
    ];
    if (route.before) chain.push(route.before(ctx));
    chain.push(async (req: Request, res: Response, _next: NextFunction) => {
      const input = {
        params: parse(route.params, req.params, 'params'),
        query: parse(route.query, req.query, 'query'),
        body: parse(route.body, req.body, 'body'),
      };
      const result = await route.handler(ctx, input, req, res);
      // A handler that streamed its answer (CSV exports) has already sent it.
      if (res.headersSent) return;
      if (result.body === undefined) res.status(result.status).end();
      // Sent as `json` would, without serialising or hashing it again (a matching If-None-Match still gets a 304).
      else if (result.body instanceof SerialisedJson) res.status(result.status).set('ETag', result.body.etag).type('json').send(result.body.text);
      else res.status(result.status).json(result.body);
    });
    familyRouter[route.method](route.path.slice(family.length) || '/', ...chain);
  }
}

export const standardErrors = {
  400: { description: 'Validation failed', schema: ErrorBody },
  401: { description: 'No staff session', schema: ErrorBody },
  403: { description: 'Forbidden', schema: ErrorBody },
  404: { description: 'Not found', schema: ErrorBody },
  409: { description: 'Conflict', schema: ErrorBody },
  429: { description: 'Rate limited', schema: ErrorBody },
  503: { description: 'A dependency (MySQL, Redis) cannot be reached, or no free ticket code was found; try again', schema: ErrorBody },
} as const;

export function errors(...statuses: Array<keyof typeof standardErrors>) {
  return Object.fromEntries(statuses.map((s) => [s, standardErrors[s]]));
}
