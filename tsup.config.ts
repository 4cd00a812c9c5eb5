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
  // No shims: they import `url`/`path` into a chunk every ESM entry loads and call
  // fileURLToPath(import.meta.url) at load, which throws on workerd (import.meta.url undefined).
  // The one place that needs a file location (otel.ts) reads __filename in CJS, import.meta.url in ESM.
  shims: false,
  esbuildOptions(options, { format }) {
    // CommonJS has no import.meta (a SyntaxError there): otel.ts reads __filename first.
    if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' };
  },
  target: 'node20',
  platform: 'node',
  external: ['@sentry/core', '@sentry/opentelemetry', '@opentelemetry/api'],
});
