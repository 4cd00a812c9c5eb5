import { defineConfig } from 'vitest/config';

// `npm run test:package`: the packed tarball installed into fresh folders (slow: real npm
// installs), apart from the quick default loop; .ci/run runs it.
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
