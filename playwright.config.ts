import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/support/chromium.mjs';

/**
 * End-to-end tests. `browser`: the built renderer in Debian's Chromium against the browser host
 * (each test starts its own host on its own temporary profile, see test/e2e/fixtures.ts).
 * `electron`: the real app, where an Electron binary exists (it skips itself elsewhere).
 * Playwright's own browser downloads do not work on our machines, so Chromium is found by
 * test/support/chromium.mjs (PITCHCASE_CHROMIUM, Playwright's browser, the system's); `npm run
 * test:e2e` first runs ensure-chromium.mjs, which installs one or names the command that does.
 */
export default defineConfig({
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'browser',
      testDir: 'test/e2e',
      testMatch: '*.spec.ts',
      // The 2,000-document library takes minutes to publish and sync: `npm run test:e2e:large`.
      testIgnore: process.env.PITCHCASE_LARGE_E2E ? [] : ['large-library.spec.ts'],
      use: {
        browserName: 'chromium',
        viewport: { width: 1366, height: 912 },
        launchOptions: chromiumLaunchOptions(),
      },
    },
    {
      // Studio's UI (npm run build:studio) against `pitchcase studio` on a temporary data folder.
      name: 'studio',
      testDir: 'test/studio/e2e',
      testMatch: '*.spec.ts',
      use: {
        browserName: 'chromium',
        viewport: { width: 1366, height: 768 },
        launchOptions: chromiumLaunchOptions(),
      },
    },
    {
      name: 'electron',
      testDir: 'test/electron',
      testMatch: '*.e2e.ts',
    },
  ],
});
