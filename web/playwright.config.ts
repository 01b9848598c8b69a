import { defineConfig, devices } from '@playwright/test';

// The server is started by e2e/run.ts (production build, throwaway database),
// which passes its address here. Where Playwright cannot download a browser
// (CI), CHROMIUM_PATH points at the system's Chromium.
const chromiumPath = process.env.CHROMIUM_PATH;

export default defineConfig({
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://localhost:3100',
    // The suite's web server trusts one proxy in front (TRUST_PROXY=1, e2e/run.ts) and the browsers play
    // it: a page of its own is one visitor at this address; e2e/helpers.ts visitorContext gives each
    // person their own.
    extraHTTPHeaders: { 'x-forwarded-for': '198.19.0.1' },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath || undefined,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // e2e: what users do (pnpm test:e2e); security: what attackers try (pnpm test:security).
  projects: [
    { name: 'e2e', testDir: './e2e', use: { ...devices['Desktop Chrome'] } },
    { name: 'security', testDir: './security', use: { ...devices['Desktop Chrome'] } },
  ],
});
