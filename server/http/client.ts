import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Screens routed by the Vue app; everything else unknown stays a JSON 404. */
const SPA_ROUTES = ['/', '/staff', '/staff/settings', '/staff/accounts', '/staff/history', '/board', '/join', /^\/t\/[^/]+$/];

export function defaultClientDir(): string {
  // dist/server/http → dist/client; server/http (tsx, Jest) → dist/client
  const candidates = [path.resolve(__dirname, '../../client'), path.resolve(__dirname, '../../dist/client')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[1]!;
}

/** Serves the built Vue app: hashed assets cached for a year, index.html never cached. */
export function clientRouter(dir: string): Router | null {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const router = Router();
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
  );
  // The service worker is revalidated like the shell (a deploy must reach installed tickets). The
  // web app manifest is the café's, served by the settings routes (server/settings/manifest.ts).
  router.get('/sw.js', (req, res, next) => {
    res.sendFile(path.join(dir, req.path), { headers: { 'Cache-Control': 'no-cache' }, cacheControl: false }, (err) => err && next());
  });
  router.use(express.static(dir, { index: false, maxAge: '1h' }));
  router.get(SPA_ROUTES, (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
