import { defineConfig } from 'vitest/config';

/**
 * Two lanes: unit and integration tests under Node (most of the suite), and component tests
 * of the renderer's screens in a DOM (happy-dom) with a fake client.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'dom', include: ['test/component/**/*.test.tsx'], environment: 'happy-dom', setupFiles: ['test/component/setup.ts'] },
      },
    ],
  },
});
