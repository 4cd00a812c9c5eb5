import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The Sentry dimension of `npm run test:matrix` (scripts/sentry-versions.mjs) points
// SENTRY_MATRIX_DIR at `.cache/sentry/<version>`: the Sentry packages then resolve there, for the
// tests and src/ alike (NODE_PATH does not apply to ESM), and @sentry/node finds its siblings there.
const sentryDir = process.env.SENTRY_MATRIX_DIR;
const sentryAlias = sentryDir
  ? ['@sentry/core', '@sentry/node', '@sentry/opentelemetry'].map((pkg) => ({
      find: new RegExp(`^${pkg.replace('/', '\\/')}$`),
      replacement: join(sentryDir, 'node_modules', pkg),
    }))
  : [];

export default defineConfig({
  resolve: { alias: sentryAlias },
  test: {
    include: ['test/**/*.test.ts'],
    // The packed-tarball tests install from npm: `npm run test:package` (test/package/vitest.config.ts).
    exclude: ['test/package/**', '**/node_modules/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
