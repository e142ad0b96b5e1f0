import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: Debian's chromium (never `playwright install`) against `npm start` serving the
 * production build (WEB=dist) with fresh embedded stores in a temporary data directory.
 * Run: `npm run test:e2e` (builds the app first). Artifacts: test-results/e2e/.
 */
const PORT = Number(process.env.E2E_PORT ?? 3990);
export const ADMIN = { email: 'admin@tix-e2e.com', password: 'e2e-admin-password' };

export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results/e2e/output',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    },
  },
  webServer: {
    command: 'npm start --silent',
    cwd: '..',
    url: `http://localhost:${PORT}/api/user-manager/ready`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      GRPC_PORT: String(PORT + 1),
      WEB: 'dist',
      DATA_DIR: `/tmp/tix-e2e-${process.pid}`,
      // Fresh embedded stores: nothing of another run (or of the unit tests) shows up.
      DATABASE_URL: '',
      MONGODB_URL: '',
      REDIS_URL: '',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'ERROR',
    },
  },
});
