import { defineRoute, errors } from '../http/route';
import { AuditPageSchema, AuditQuery, readAudit } from './read';
import { cafeTimeZone } from '../settings/identity';

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/audit',
    summary: 'Who did what (admin): queue moves and account, settings and close-out changes, newest first, filtered by time, game and actor',
    tag: 'audit',
    access: 'admin',
    query: AuditQuery,
    responses: { 200: { description: 'Audit log', schema: AuditPageSchema }, ...errors(400, 401, 403) },
    handler: async (ctx, { query }) => ({ status: 200, body: await readAudit(ctx.knex, query, await cafeTimeZone(ctx)) }),
  }),
];
