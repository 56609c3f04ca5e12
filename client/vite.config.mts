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
    // The phone's ticket is an installable app: a manifest, icons, and our own service worker
    // (src/sw.ts: the push handler and the offline shell), registered by src/lib/serviceWorker.ts.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifestFilename: 'manifest.webmanifest',
      injectManifest: { globPatterns: ['**/*.{js,css,html,png,svg}'] },
      manifest: {
        name: 'Meeple Queue',
        short_name: 'Queue',
        description: 'Your place in the board game queue',
        start_url: '/join',
        scope: '/',
        display: 'standalone',
        background_color: '#14161f',
        theme_color: '#14161f',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
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
      '/socket.io': { target: backend, ws: true },
    },
  },
});
