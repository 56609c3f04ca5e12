import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const backend = 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
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
