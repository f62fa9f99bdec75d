// Component and logic tests of the back office (`npm run test:web`): *.test.ts(x) under src, in jsdom.
// Jest runs only *.spec.ts, so the two runners never pick up each other's files.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: __dirname,
  plugins: [react()],
  resolve: { alias: { '@engine/api-client': resolve(__dirname, '../../libs/api-client/src') } },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    // Dates and durations are formatted in the user's time zone: tests pin one.
    env: { TZ: 'Europe/Berlin' },
  },
});
