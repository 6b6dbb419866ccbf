/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API listens on 3000 by default; in dev the dashboard talks to it through this proxy so the
// client can keep its same-origin base URL ('') in every environment.
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root: __dirname,
  cacheDir: '../../node_modules/.vite/apps/dashboard',
  plugins: [react()],
  // `@encore/*` aliases come from tsconfig.base.json (Vite 8 reads tsconfig paths natively).
  resolve: { tsconfigPaths: true },
  server: {
    host: '127.0.0.1',
    port: 4200,
    proxy: { '/v1': api, '/health': api, '/metrics': api },
  },
  preview: { host: '127.0.0.1', port: 4300 },
  build: {
    outDir: '../../dist/apps/dashboard',
    emptyOutDir: true,
    reportCompressedSize: true,
  },
  test: {
    name: 'dashboard',
    environment: 'jsdom',
    globals: true,
    setupFiles: ['@testing-library/jest-dom/vitest', './src/test/setup.ts'],
    include: ['src/**/*.spec.{ts,tsx}'],
    // Each test stubs fetch and mocks freely; put everything back between tests.
    unstubGlobals: true,
    restoreMocks: true,
    reporters: ['default'],
    coverage: { reportsDirectory: '../../coverage/apps/dashboard', provider: 'v8' },
  },
});
