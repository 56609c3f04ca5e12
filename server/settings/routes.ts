import { defineRoute, errors } from '../http/route';
import { actorOf } from '../auth/guard';
import { OpeningHoursBody, OpeningHoursSchema, QueueStatusSchema } from './schemas';
import { queueStatus, readOpeningHours, saveOpeningHours } from './openingHours';

async function openingHoursView(ctx: Parameters<typeof readOpeningHours>[0]) {
  const stored = await readOpeningHours(ctx);
  return { ...stored.value, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt?.toISOString() ?? null };
}

export const settingsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/queue-status',
    summary: 'Whether customers may join right now (opening hours), and why not in plain words',
    tag: 'settings',
    access: 'public',
    responses: { 200: { description: 'Open or closed', schema: QueueStatusSchema } },
    handler: async (ctx) => {
      const status = await queueStatus(ctx);
      return { status: 200, body: { ...status, opensAt: status.opensAt?.toISOString() ?? null } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/settings/opening-hours',
    summary: "The café's opening hours, last-join times and closed message (in CAFE_TIMEZONE)",
    tag: 'settings',
    access: 'staff',
    responses: { 200: { description: 'Opening hours', schema: OpeningHoursSchema }, ...errors(401) },
    handler: async (ctx) => ({ status: 200, body: await openingHoursView(ctx) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/settings/opening-hours',
    summary: 'Set the opening hours (admin); customers are refused outside them and the day is closed out at closing',
    tag: 'settings',
    access: 'admin',
    body: OpeningHoursBody,
    responses: { 200: { description: 'Saved', schema: OpeningHoursSchema }, ...errors(400, 401, 403) },
    handler: async (ctx, { body }, req) => {
      await saveOpeningHours(ctx, body, actorOf(req));
      return { status: 200, body: await openingHoursView(ctx) };
    },
  }),
];
