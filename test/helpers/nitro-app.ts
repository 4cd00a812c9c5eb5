/**
 * A real h3 2 app served by srvx 1 on a free loopback port, both with their own `tracingPlugin()`
 * on, for the nitro integration tests. Routes:
 * - `GET /users/:id` → `{ id }`
 * - `GET /slow` → awaits a timer and a `startSpan` child, then `'slow'`
 * - `GET /trace` → the active span's `sentry-trace` value and trace id, seen from inside the handler
 * - `GET /boom` → throws `Error('kaboom')` (h3 answers 500)
 * - `GET /teapot` → throws h3 `HTTPError` 418
 * plus one srvx middleware (`auth`) and one h3 middleware.
 */
import { getActiveSpan, spanToJSON, spanToTraceHeader, startSpan } from '@sentry/core';
import { H3, HTTPError } from 'h3';
import { tracingPlugin as h3TracingPlugin } from 'h3/tracing';
import { serve } from 'srvx';
import { tracingPlugin as srvxTracingPlugin } from 'srvx/tracing';

export interface NitroApp {
  /** Base URL, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** `fetch` against the app, resolving to status and body text. */
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export interface NitroAppOptions {
  /** Add srvx's `auth` middleware and an h3 middleware. Default true. */
  middleware?: boolean;
  /** Enable srvx's tracing plugin. Default true. */
  srvxTracing?: boolean;
}

/** Builds the app and starts serving it. */
export async function startNitroApp(options: NitroAppOptions = {}): Promise<NitroApp> {
  const withMiddleware = options.middleware !== false;
  const app = new H3({ plugins: [h3TracingPlugin()], silent: true });
  if (withMiddleware) {
    app.use(async (_event, next) => next());
  }
  app.get('/users/:id', (event) => ({ id: event.context.params?.id }));
  app.get('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await startSpan({ name: 'slow work', op: 'test' }, () => new Promise((resolve) => setTimeout(resolve, 5)));
    return 'slow';
  });
  app.get('/trace', () => {
    const span = getActiveSpan();
    return { sentryTrace: span ? spanToTraceHeader(span) : null, spanId: span ? spanToJSON(span).span_id : null };
  });
  app.get('/boom', () => {
    throw new Error('kaboom');
  });
  app.get('/teapot', () => {
    throw new HTTPError({ status: 418, message: 'short and stout' });
  });
  const server = serve({
    fetch: app.fetch,
    port: 0,
    hostname: '127.0.0.1',
    silent: true,
    plugins: options.srvxTracing === false ? [] : [srvxTracingPlugin()],
    middleware: withMiddleware ? [async function auth(_request, next) { return next(); }] : [],
  });
  await server.ready();
  const url = server.url!;
  return {
    url,
    async get(path, headers = {}) {
      const response = await fetch(new URL(path, url), { headers });
      return { status: response.status, body: await response.text() };
    },
    close: () => server.close(true),
  };
}
