import { defineConfig } from 'vitest/config';

/**
 * Two lanes: unit and integration tests under Node (most of the suite), and component tests
 * of the renderer's screens in a DOM (happy-dom) with a fake client.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    // As the e2e lane: on CI a test that failed once is run once more and reported as flaky, so a
    // loaded runner's timing (bytes in flight when a bound trips) does not throw away a submission.
    retry: process.env.CI ? 1 : 0,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/studio/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          include: ['test/component/**/*.test.tsx', 'test/studio/**/*.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['test/component/setup.ts'],
        },
      },
    ],
  },
});
