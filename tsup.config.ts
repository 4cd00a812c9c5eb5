import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    otel: 'src/otel.ts',
    redis: 'src/redis.ts',
    nitro: 'src/nitro.ts',
    ai: 'src/ai.ts',
    graphql: 'src/graphql.ts',
    fastify: 'src/fastify.ts',
    pino: 'src/pino.ts',
    mysql2: 'src/mysql2.ts',
    publish: 'src/publish.ts',
    testing: 'src/testing.ts',
    inspect: 'src/inspect.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // One copy of the binding registry for every entry point, in both formats.
  splitting: true,
  clean: true,
  // import.meta.url in the CommonJS build (used to resolve optional peers lazily)
  shims: true,
  target: 'node20',
  platform: 'node',
  external: ['@sentry/core', '@sentry/opentelemetry', '@opentelemetry/api'],
});
