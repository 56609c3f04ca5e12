// The service worker (built by vite-plugin-pwa, injectManifest): keeps the app shell for
// offline use and shows the server's Web Push messages as notifications, even with every
// page of the app closed. Typed with the few worker APIs it uses (the client is a DOM project).

interface PushMessage {
  title: string;
  body: string;
  code: string;
  kind: 'called' | 'almost';
  url: string;
}

interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface PushEvent extends ExtendableEvent {
  data: { json(): unknown; text(): string } | null;
}
interface NotificationEvent extends ExtendableEvent {
  notification: Notification;
}
interface WindowClient {
  url: string;
  focus(): Promise<WindowClient>;
  navigate(url: string): Promise<WindowClient | null>;
}
interface WorkerScope {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
  registration: ServiceWorkerRegistration;
  clients: { matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClient[]>; openWindow(url: string): Promise<unknown>; claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  location: Location;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'push', listener: (event: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEvent) => void): void;
}

const sw = self as unknown as WorkerScope;
// The build lists every file of the app with its revision; the cache name changes with them.
const SHELL = (self as unknown as WorkerScope).__WB_MANIFEST;
/** A short fingerprint of the build's file list: a new build gets a new cache, the old one is dropped. */
function fingerprint(text: string): string {
  let hash = 5381;
  for (let i = 0; i < text.length; i += 1) hash = ((hash * 33) ^ text.charCodeAt(i)) >>> 0;
  return hash.toString(36);
}
const CACHE = `meeple-shell-${fingerprint(SHELL.map((e) => `${e.url}@${e.revision ?? ''}`).join('|'))}`;
// Each once: Cache.addAll refuses a list with the same URL twice.
const SHELL_URLS = [...new Set(['/', ...SHELL.map((e) => `/${e.url.replace(/^\//, '')}`)])];

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL_URLS))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('meeple-shell-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => sw.clients.claim()),
  );
});

// Pages: the network first, the cached shell when offline (the ticket page then shows the
// last state it saved, and says it is offline). Built assets: from the cache. The API and the
// sockets are never cached here.
sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(async () => (await caches.match('/', { cacheName: CACHE })) ?? Response.error()));
    return;
  }
  if (SHELL_URLS.includes(url.pathname)) {
    event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
  }
});

function readMessage(event: PushEvent): PushMessage | null {
  try {
    return (event.data?.json() as PushMessage | undefined) ?? null;
  } catch {
    return null;
  }
}

sw.addEventListener('push', (event) => {
  const message = readMessage(event);
  if (!message) return;
  // One notification per ticket: "called" replaces "almost your turn" (same tag) and buzzes again.
  const options: NotificationOptions & { renotify: boolean; vibrate: number[] } = {
    body: message.body,
    tag: `meeple-ticket-${message.code}`,
    renotify: true,
    requireInteraction: message.kind === 'called',
    vibrate: [200, 100, 200, 100, 400],
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    data: { url: message.url, code: message.code, kind: message.kind },
  };
  event.waitUntil(sw.registration.showNotification(message.title, options));
});

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data as { url?: string } | null)?.url ?? '/';
  event.waitUntil(
    sw.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
      const open = windows.find((w) => new URL(w.url).pathname === url) ?? windows[0];
      if (open) {
        await open.focus();
        if (new URL(open.url).pathname !== url) await open.navigate(url);
        return;
      }
      await sw.clients.openWindow(url);
    }),
  );
});
