import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { VitePWA } from 'vite-plugin-pwa';

const backend = 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [
    vue(),
    // The phone's ticket is an installable app: our own service worker (src/sw.ts: the push
    // handler and the offline shell), registered by src/lib/serviceWorker.ts. The manifest is the
    // café's (its name, accent and logo), so the app serves it (server/settings/manifest.ts) and
    // index.html links it; the plugin writes none, and the worker never caches it.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: { globPatterns: ['**/*.{js,css,html,png,svg}'] },
    }),
  ],
  // vue-i18n's build flags: Composition API only (no legacy API in the bundle), no devtools.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // scripts/report-sizes.mjs reads the manifest to total each route's JS chunks.
    manifest: true,
  },
  server: {
    proxy: {
      '/api': backend,
      '/health': backend,
      '/metrics': backend,
      '/manifest.webmanifest': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
