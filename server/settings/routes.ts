import { defineRoute, errors, standardErrors } from '../http/route';
import { actorOf } from '../auth/guard';
import { CafeSchema, CafeSettingsBody, CafeSettingsSchema, LogoParams, LogoUploadBody, OpeningHoursBody, OpeningHoursSchema, QueueStatusSchema, WebAppManifestSchema } from './schemas';
import { defaults, logoUrl, readCafe, readIdentity, removeLogo, saveCafeSettings, saveLogo } from './identity';
import { readLogo } from './logo';
import type { AppContext } from '../context';
import { queueStatus, readOpeningHours, saveOpeningHours } from './openingHours';
import { readManifest } from './manifest';
import { SerialisedJson } from '../http/serialised';

async function openingHoursView(ctx: Parameters<typeof readOpeningHours>[0]) {
  const stored = await readOpeningHours(ctx);
  return { ...stored.value, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt?.toISOString() ?? null };
}

async function cafeSettingsView(ctx: AppContext) {
  const stored = await readIdentity(ctx);
  const { logo, ...settings } = stored.value;
  return { ...settings, logoUrl: logoUrl(logo), defaults: defaults(ctx), updatedBy: stored.updatedBy, updatedAt: stored.updatedAt?.toISOString() ?? null };
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
  defineRoute({
    method: 'get',
    path: '/api/cafe',
    summary: "The café's name, logo, accent colour, public address, time zone and default language, as every screen shows them",
    tag: 'settings',
    access: 'public',
    responses: { 200: { description: 'The café', schema: CafeSchema } },
    handler: async (ctx) => ({ status: 200, body: await readCafe(ctx) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/cafe/logo/:file',
    summary: "The café's logo; the address changes with the picture, so it is cached for a year (ETag, 304 on If-None-Match)",
    tag: 'settings',
    access: 'public',
    params: LogoParams,
    responses: { 200: { description: 'The image (PNG, JPEG or WebP)' }, 304: { description: 'Not modified' }, ...errors(400, 404) },
    handler: async (ctx, { params }, _req, res) => {
      const logo = await readLogo(ctx, params.file);
      // Express answers 304 itself when If-None-Match matches this ETag.
      res.set({ ETag: `"${logo.hash}"`, 'Cache-Control': 'public, max-age=31536000, immutable' }).type(logo.type).send(logo.bytes);
      return { status: 200 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/manifest.webmanifest',
    summary:
      "The phone's web app manifest (the installable ticket), built from the café's name, accent and logo; revalidated on every use (ETag, 304 on If-None-Match) so a renamed café shows at once",
    tag: 'settings',
    access: 'public',
    responses: {
      200: { description: 'The manifest', schema: WebAppManifestSchema, contentType: 'application/manifest+json' },
      304: { description: 'Not modified' },
    },
    handler: async (ctx, _input, _req, res) => {
      const manifest = SerialisedJson.of(await readManifest(ctx));
      // Express answers 304 itself when If-None-Match matches this ETag.
      res.set({ ETag: manifest.etag, 'Cache-Control': 'no-cache' }).type('application/manifest+json').send(manifest.text);
      return { status: 200 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/settings/cafe',
    summary: "The café's identity settings as saved (null: the environment's default, shown in `defaults`)",
    tag: 'settings',
    access: 'staff',
    responses: { 200: { description: 'Café settings', schema: CafeSettingsSchema }, ...errors(401) },
    handler: async (ctx) => ({ status: 200, body: await cafeSettingsView(ctx) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/settings/cafe',
    summary: "Set the café's name, accent colour, public address, time zone and default language (admin); every open screen changes at once",
    tag: 'settings',
    access: 'admin',
    body: CafeSettingsBody,
    responses: { 200: { description: 'Saved', schema: CafeSettingsSchema }, ...errors(400, 401, 403) },
    handler: async (ctx, { body }, req) => {
      await saveCafeSettings(ctx, body, actorOf(req));
      return { status: 200, body: await cafeSettingsView(ctx) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/settings/cafe/logo',
    summary: "Upload the café's logo (admin): PNG, JPEG or WebP by its bytes, at most 256 KiB; SVG is refused",
    tag: 'settings',
    access: 'admin',
    body: LogoUploadBody,
    responses: {
      200: { description: 'Saved', schema: CafeSettingsSchema },
      413: { description: 'The image is over 256 KiB', schema: standardErrors[400].schema },
      415: { description: 'Not a PNG, JPEG or WebP image (SVG included)', schema: standardErrors[400].schema },
      ...errors(400, 401, 403),
    },
    handler: async (ctx, { body }, req) => {
      await saveLogo(ctx, body.data, actorOf(req));
      return { status: 200, body: await cafeSettingsView(ctx) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/settings/cafe/logo',
    summary: "Remove the café's logo (admin)",
    tag: 'settings',
    access: 'admin',
    responses: { 200: { description: 'Saved', schema: CafeSettingsSchema }, ...errors(401, 403) },
    handler: async (ctx, _input, req) => {
      await removeLogo(ctx, actorOf(req));
      return { status: 200, body: await cafeSettingsView(ctx) };
    },
  }),
];
