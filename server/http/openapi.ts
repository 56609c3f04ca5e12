import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodRawShape, ZodType } from 'zod';
import type { RouteDefinition } from './route';
import { ErrorBody } from './schemas';

export interface ExtraPath {
  method: 'get';
  path: string;
  summary: string;
  tag: string;
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
}

/** Builds the OpenAPI document from the same route definitions that validate requests. */
export function buildOpenApiDocument(routes: RouteDefinition[], extra: ExtraPath[] = [], schemas: Record<string, ZodType> = {}) {
  const registry = new OpenAPIRegistry();
  registry.register('Error', ErrorBody);
  // Schemas no route returns but clients rely on (Socket.IO payloads).
  for (const [name, schema] of Object.entries(schemas)) registry.register(name, schema);
  registry.registerComponent('securitySchemes', 'staffSession', {
    type: 'apiKey',
    in: 'cookie',
    name: 'meeple.sid',
    description: 'Set by POST /api/auth/login',
  });

  const toContent = (schema?: ZodType, contentType = 'application/json') =>
    schema ? { content: { [contentType]: { schema } } } : {};

  for (const route of routes) {
    registry.registerPath({
      method: route.method,
      path: route.path.replace(/:(\w+)/g, '{$1}'),
      summary: route.summary,
      tags: [route.tag],
      security: route.access === 'public' ? [] : [{ staffSession: [] }],
      request: {
        params: route.params as ZodObject<ZodRawShape> | undefined,
        query: route.query as ZodObject<ZodRawShape> | undefined,
        body: route.body ? { content: { 'application/json': { schema: route.body } } } : undefined,
      },
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, r]) => [status, { description: r.description, ...toContent(r.schema, r.contentType) }]),
      ),
    });
  }
  for (const path of extra) {
    registry.registerPath({
      method: path.method,
      path: path.path,
      summary: path.summary,
      tags: [path.tag],
      responses: Object.fromEntries(
        Object.entries(path.responses).map(([status, r]) => [status, { description: r.description, ...toContent(r.schema, r.contentType) }]),
      ),
    });
  }

  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Meeple Queue API',
      version: '1.0.0',
      description:
        'Realtime reservation queue for board game cafés. Errors are always `{"error":{"code","message","details"}}`. ' +
        'The Socket.IO events, and where the service differs from its original contract, are in docs/API.md.',
    },
    servers: [{ url: '/' }],
  });
}
