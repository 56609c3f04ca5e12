// Registers the service worker (src/sw.ts, built to /sw.js by vite-plugin-pwa): the offline
// shell, and the push handler that shows "your game is ready" with every page closed.

export function serviceWorkerSupported(): boolean {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
}

export function registerServiceWorker(): void {
  if (!serviceWorkerSupported()) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
    // The app works without it (no offline ticket, no push; `npm run dev:client` has none).
    console.warn('Service worker not registered:', err);
  });
}

/** The registration once its worker is active; null where there is none (unsupported, dev server). */
export async function activeRegistration(): Promise<ServiceWorkerRegistration | null> {
  if (!serviceWorkerSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return registration ? navigator.serviceWorker.ready : null;
}
