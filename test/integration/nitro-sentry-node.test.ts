/**
 * instrumentNitro under real `@sentry/node` (`Sentry.init`), sending to a local envelope
 * receiver. The HTTP integration keeps its per-request isolation but makes no server spans
 * (`spans: false`), and `@sentry/node`'s own Nitro integration is removed, so the `http.server`
 * span is ours. The request is a real `fetch` made inside `Sentry.startSpan`, so `@sentry/node`
 * injects `sentry-trace`/`baggage` itself and the server span must join that trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Sentry from '@sentry/node';
import { instrumentNitro } from '../../src/nitro';
import { startEnvelopeReceiver } from '../helpers/envelope-receiver';
import type { EnvelopeReceiver } from '../helpers/envelope-receiver';
import { startNitroApp } from '../helpers/nitro-app';
import type { NitroApp } from '../helpers/nitro-app';

type Json = Record<string, any>;
const attr = (span: Json, key: string): unknown => span.attributes?.[key]?.value ?? span.data?.[key];

let receiver: EnvelopeReceiver;
let app: NitroApp;
let handle: ReturnType<typeof instrumentNitro>;

beforeAll(async () => {
  receiver = await startEnvelopeReceiver();
  Sentry.init({
    dsn: receiver.dsn,
    tracesSampleRate: 1,
    integrations: (defaults) => [
      ...defaults.filter((i) => i.name !== 'Nitro' && i.name !== 'Http'),
      Sentry.httpIntegration({ spans: false }),
    ],
  });
  handle = instrumentNitro();
  app = await startNitroApp();
});

afterAll(async () => {
  handle.unbind();
  await app.close();
  await Sentry.close(2000);
  await receiver.close();
});

describe('instrumentNitro with @sentry/node', () => {
  it('srvx.request inside a client span: server span joins the caller trace, children nest, the 500 is sent once', async () => {
    let clientTraceId = '';
    await Sentry.startSpan({ name: 'caller', op: 'test.caller' }, async (span) => {
      clientTraceId = span.spanContext().traceId;
      expect((await app.get('/users/42')).status).toBe(200);
      expect((await app.get('/boom')).status).toBe(500);
    });
    await Sentry.flush(5000);

    const spans = await receiver.waitFor(() => {
      const all = receiver.spans() as Json[];
      const servers = all.filter((s) => attr(s, 'sentry.op') === 'http.server');
      return servers.length === 2 && all.some((s) => s.name === 'caller') ? all : undefined;
    });
    const clientSpans = spans.filter((s) => attr(s, 'sentry.op') === 'http.client');
    const servers = spans.filter((s) => attr(s, 'sentry.op') === 'http.server');
    expect(clientSpans).toHaveLength(2);
    expect(spans.filter((s) => String(attr(s, 'sentry.origin') ?? '').startsWith('auto.http.nitro'))).toHaveLength(0);

    const userServer = servers.find((s) => s.name === 'GET /users/:id')!;
    expect(userServer).toBeDefined();
    expect(userServer.trace_id).toBe(clientTraceId);
    expect(clientSpans.map((s) => s.span_id)).toContain(userServer.parent_span_id);
    expect(userServer.is_segment).toBe(true);
    expect(attr(userServer, 'sentry.origin')).toBe('auto.http.tracing_channel_span.nitro');
    expect(attr(userServer, 'http.route')).toBe('/users/:id');
    expect(attr(userServer, 'http.request.method')).toBe('GET');
    expect(attr(userServer, 'url.path')).toBe('/users/42');
    expect(attr(userServer, 'http.response.status_code')).toBe(200);

    const route = spans.find((s) => attr(s, 'sentry.op') === 'request_handler.h3' && s.trace_id === clientTraceId && attr(s, 'http.route') === '/users/:id')!;
    const h3Middleware = spans.find((s) => s.span_id === route.parent_span_id)!;
    const srvxMiddleware = spans.find((s) => s.span_id === h3Middleware.parent_span_id)!;
    expect(attr(h3Middleware, 'sentry.op')).toBe('middleware.h3');
    expect(attr(srvxMiddleware, 'sentry.op')).toBe('middleware.srvx');
    expect(srvxMiddleware.parent_span_id).toBe(userServer.span_id);

    const boomServer = servers.find((s) => s.name === 'GET /boom')!;
    expect(boomServer.status).toBe('error');
    expect(attr(boomServer, 'http.response.status_code')).toBe(500);

    const errors = await receiver.waitFor(() => {
      const events = receiver.items('event').map((i) => i.payload as Json);
      return events.length > 0 ? events : undefined;
    });
    await Sentry.flush(2000);
    const kaboom = receiver.items('event').map((i) => i.payload as Json).filter((e) => e.exception?.values?.[0]?.value === 'kaboom');
    expect(errors.length).toBeGreaterThan(0);
    expect(kaboom).toHaveLength(1);
    expect(kaboom[0]!.exception.values[0].mechanism).toMatchObject({ type: 'auto.http.tracing_channel_span.nitro', handled: false });
    expect(kaboom[0]!.contexts.trace.trace_id).toBe(clientTraceId);
  });
});
