import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm run audit:security`: the attack battery against a running browser host, in the rep's and
 * the kiosk profile (test/security/battery.ts), plus the host checks that already live with the
 * host's own tests (cross-origin, Host header, traversal). A new finding's test is a new
 * `*.test.ts` file in test/security.
 */
const root = path.resolve(import.meta.dirname, '..', '..');

export default defineConfig({
  root,
  test: {
    include: ['test/security/**/*.test.ts', 'test/integration/host.test.ts'],
    globalSetup: ['test/security/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['default'],
  },
});
