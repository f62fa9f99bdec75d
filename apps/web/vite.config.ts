// Builds the back office into dist/web, which the API serves at `/`. `vite` (dev server) proxies /api to a
// running API: WEB_API_ORIGIN, default http://127.0.0.1:3000.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@engine/api-client': resolve(__dirname, '../../libs/api-client/src') } },
  build: {
    outDir: resolve(__dirname, '../../dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    // One app of a few hundred kB: no need for the chunk-size warning.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': process.env.WEB_API_ORIGIN ?? 'http://127.0.0.1:3000' },
  },
});
