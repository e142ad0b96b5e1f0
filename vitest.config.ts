import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: two workers, each serving its own files' HTTP tests.
    maxWorkers: 2,
    projects: [
      // The platform: real stores and real HTTP (test/support/global-setup.ts).
      { extends: true, test: { name: 'api', include: ['test/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'] } },
      // The web app's components under jsdom (the end-to-end tests: npm run test:e2e).
      { extends: true, test: { name: 'web', include: ['frontend/src/**/*.test.{ts,tsx}'], environment: 'jsdom', setupFiles: ['frontend/src/test/setup.ts'] } },
    ],
  },
});
