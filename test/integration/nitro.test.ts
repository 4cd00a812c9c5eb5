/**
 * instrumentNitro against a real h3 2 app served by srvx 1 on a loopback port, driven by real
 * `fetch` requests, with the scope-pair strategy and a recording `@sentry/core` client.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Event } from '@sentry/core';
import { setScopePairAsyncContextStrategy } from '../../src/index';
import { instrumentNitro } from '../../src/nitro';
import type { NitroInstrumentation } from '../../src/nitro';
import { installRecordingClient } from '../helpers/test-client';
import type { Recorder } from '../helpers/test-client';
import { startNitroApp } from '../helpers/nitro-app';
import type { NitroApp } from '../helpers/nitro-app';

type Json = Record<string, any>;

const attrs = (s: Json): Json => s.attributes ?? s.data ?? {};
const nameOf = (s: Json): string => s.name ?? s.description;
const opOf = (s: Json): string | undefined => s.op ?? attrs(s)['sentry.op'];

let recorder: Recorder;
let app: NitroApp;
let handle: NitroInstrumentation | undefined;
const events: Event[] = [];

function spansWithOp(op: string): Json[] {
  return recorder.ended.filter((s) => opOf(s as Json) === op) as Json[];
}

function serverSpans(): Json[] {
  return spansWithOp('http.server');
}

function onlyServerSpan(): Json {
  const spans = serverSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

beforeAll(async () => {
  setScopePairAsyncContextStrategy();
  recorder = installRecordingClient();
  recorder.client.on('beforeSendEvent', (event) => {
    events.push(event);
  });
  app = await startNitroApp();
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  handle = instrumentNitro();
  recorder.reset();
  events.length = 0;
});

afterEach(() => {
  handle?.unbind();
  handle = undefined;
});

describe('instrumentNitro: server span', () => {
  it('srvx.request 200: one http.server span with method, path, route, status and server address', async () => {
    const res = await app.get('/users/42?x=1');
    expect(res.status).toBe(200);
    const server = onlyServerSpan();
    expect(nameOf(server)).toBe('GET /users/:id');
    expect(server.status).toBe('ok');
    expect(server.parent_span_id).toBeUndefined();
    expect(attrs(server)).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/users/42',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(app.url).port),
      'sentry.origin': 'auto.http.tracing_channel_span.nitro',
    });
    expect(recorder.captures).toHaveLength(0);
  });

  it('srvx.request 404: span named after method and path, status 404, not failed, no route span', async () => {
    const res = await app.get('/nope/here');
    expect(res.status).toBe(404);
    const server = onlyServerSpan();
    expect(nameOf(server)).toBe('GET /nope/here');
    expect(server.status).toBe('ok');
    expect(attrs(server)['http.response.status_code']).toBe(404);
    expect(attrs(server)['http.route']).toBeUndefined();
    expect(spansWithOp('request_handler.h3')).toHaveLength(0);
    expect(recorder.captures).toHaveLength(0);
  });

  it('h3.request route throws: server span 500 and failed, route span failed, error captured exactly once', async () => {
    const res = await app.get('/boom');
    expect(res.status).toBe(500);
    const server = onlyServerSpan();
    expect(nameOf(server)).toBe('GET /boom');
    expect(server.status).toBe('error');
    expect(attrs(server)['http.response.status_code']).toBe(500);
    const [route] = spansWithOp('request_handler.h3');
    expect(route!.status).toBe('error');
    expect(attrs(route!)['error.type']).toBe('Error');
    expect(recorder.captures).toHaveLength(1);
    expect((recorder.captures[0]!.error as Error).message).toBe('kaboom');
    expect(recorder.captures[0]!.hint).toMatchObject({
      mechanism: { type: 'auto.http.tracing_channel_span.nitro', handled: false },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.contexts?.trace?.trace_id).toBe(server.trace_id);
    expect(events[0]!.contexts?.trace?.span_id).toBe(route!.span_id);
  });

  it('h3.request HTTPError 418: status 418 on an unfailed server span and route span, nothing captured', async () => {
    const res = await app.get('/teapot');
    expect(res.status).toBe(418);
    const server = onlyServerSpan();
    expect(server.status).toBe('ok');
    expect(attrs(server)['http.response.status_code']).toBe(418);
    const routes = spansWithOp('request_handler.h3');
    expect(routes).toHaveLength(1);
    expect(routes[0]!.status).toBe('ok');
    expect(attrs(routes[0]!)['error.type']).toBeUndefined();
    expect(attrs(routes[0]!)['http.response.status_code']).toBe(418);
    const middleware = spansWithOp('middleware.h3');
    expect(middleware.length).toBeGreaterThan(0);
    for (const span of middleware) expect(span.status).toBe('ok');
    expect(recorder.captures).toHaveLength(0);
  });

  it('h3.request async handler: route span covers the awaited work and parents startSpan children', async () => {
    const res = await app.get('/slow');
    expect(res.body).toBe('slow');
    const [route] = spansWithOp('request_handler.h3');
    const [child] = spansWithOp('test');
    expect(child!.parent_span_id).toBe(route!.span_id);
    expect(route!.timestamp ?? route!.end_timestamp).toBeGreaterThanOrEqual(child!.timestamp ?? child!.end_timestamp);
    expect(nameOf(onlyServerSpan())).toBe('GET /slow');
  });
});

describe('instrumentNitro: nesting', () => {
  it('srvx.middleware and h3.request: srvx middleware, h3 middleware and route nest under the server span', async () => {
    await app.get('/users/7');
    const server = onlyServerSpan();
    const [srvxMiddleware] = spansWithOp('middleware.srvx');
    const [h3Middleware] = spansWithOp('middleware.h3');
    const [route] = spansWithOp('request_handler.h3');
    expect(nameOf(srvxMiddleware!)).toBe('middleware - auth');
    expect(srvxMiddleware!.parent_span_id).toBe(server.span_id);
    expect(h3Middleware!.parent_span_id).toBe(srvxMiddleware!.span_id);
    expect(route!.parent_span_id).toBe(h3Middleware!.span_id);
    expect(nameOf(route!)).toBe('request handler - /users/:id');
    expect(attrs(route!)['http.route']).toBe('/users/:id');
    for (const span of [srvxMiddleware, h3Middleware, route]) expect(span!.trace_id).toBe(server.trace_id);
    expect(recorder.ended).toHaveLength(4);
  });

  it('h3.request route: the active span inside the handler is the route span', async () => {
    const res = await app.get('/trace');
    const seen = JSON.parse(res.body) as { spanId: string };
    const [route] = spansWithOp('request_handler.h3');
    expect(seen.spanId).toBe(route!.span_id);
  });

  it('20 concurrent requests: each route span parents to its own request server span', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => app.get(`/users/${i}`)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const servers = serverSpans();
    expect(servers).toHaveLength(20);
    expect(new Set(servers.map((s) => s.trace_id)).size).toBe(20);
    const routes = spansWithOp('request_handler.h3');
    expect(routes).toHaveLength(20);
    for (const route of routes) {
      const server = servers.find((s) => s.trace_id === route.trace_id)!;
      const srvxMiddleware = spansWithOp('middleware.srvx').find((s) => s.parent_span_id === server.span_id)!;
      const h3Middleware = spansWithOp('middleware.h3').find((s) => s.parent_span_id === srvxMiddleware.span_id)!;
      expect(route.parent_span_id).toBe(h3Middleware.span_id);
    }
  });
});

describe('instrumentNitro: incoming traces', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const parentSpanId = 'b7ad6b7169203331';

  it('srvx.request with sentry-trace + baggage: server span continues that trace under the caller span', async () => {
    await app.get('/users/1', {
      'sentry-trace': `${traceId}-${parentSpanId}-1`,
      baggage: `sentry-trace_id=${traceId},sentry-sampled=true,sentry-public_key=public`,
    });
    const server = onlyServerSpan();
    expect(server.trace_id).toBe(traceId);
    expect(server.parent_span_id).toBe(parentSpanId);
    expect(spansWithOp('request_handler.h3')[0]!.trace_id).toBe(traceId);
  });

  it('srvx.request with W3C traceparent: server span continues that trace under the caller span', async () => {
    const w3cTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const w3cParent = '00f067aa0ba902b7';
    await app.get('/users/2', { traceparent: `00-${w3cTrace}-${w3cParent}-01` });
    const server = onlyServerSpan();
    expect(server.trace_id).toBe(w3cTrace);
    expect(server.parent_span_id).toBe(w3cParent);
  });

  it('srvx.request with an unsampled traceparent: the handler runs in that trace, unsampled', async () => {
    const w3cTrace = '4bf92f3577b34da6a3ce929d0e0e4737';
    const res = await app.get('/trace', { traceparent: `00-${w3cTrace}-00f067aa0ba902b8-00` });
    const seen = JSON.parse(res.body) as { sentryTrace: string };
    expect(seen.sentryTrace.startsWith(`${w3cTrace}-`)).toBe(true);
    expect(seen.sentryTrace.endsWith('-0')).toBe(true);
  });

  it('srvx.request with both headers: sentry-trace wins over traceparent', async () => {
    await app.get('/users/3', {
      'sentry-trace': `${traceId}-${parentSpanId}-1`,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(onlyServerSpan().trace_id).toBe(traceId);
  });

  it('srvx.request without trace headers: every request starts its own trace at a root span', async () => {
    await app.get('/users/4');
    await app.get('/users/5');
    const servers = serverSpans();
    expect(servers).toHaveLength(2);
    expect(servers[0]!.trace_id).not.toBe(servers[1]!.trace_id);
    expect(servers.every((s) => s.parent_span_id === undefined)).toBe(true);
  });

  it('srvx.request with an invalid traceparent: a new trace, no parent', async () => {
    await app.get('/users/6', { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` });
    const server = onlyServerSpan();
    expect(server.trace_id).not.toBe('0'.repeat(32));
    expect(server.parent_span_id).toBeUndefined();
  });

  it('continueIncomingTrace false: sentry-trace is ignored and a new trace starts', async () => {
    handle!.unbind();
    handle = instrumentNitro({ continueIncomingTrace: false });
    await app.get('/users/1', { 'sentry-trace': `${traceId}-${parentSpanId}-1` });
    const server = onlyServerSpan();
    expect(server.trace_id).not.toBe(traceId);
    expect(server.parent_span_id).toBeUndefined();
  });
});

describe('instrumentNitro: setup', () => {
  it('instrumentNitro twice: the same handle, one span per layer', async () => {
    const again = instrumentNitro();
    expect(again).toBe(handle);
    await app.get('/users/8');
    expect(serverSpans()).toHaveLength(1);
    expect(spansWithOp('request_handler.h3')).toHaveLength(1);
    expect(recorder.ended).toHaveLength(4);
  });

  it('unbind: no spans afterwards; unbind again is a no-op; a new call sets up again', async () => {
    handle!.unbind();
    handle!.unbind();
    await app.get('/users/9');
    expect(recorder.ended).toHaveLength(0);
    handle = instrumentNitro();
    await app.get('/users/9');
    expect(serverSpans()).toHaveLength(1);
  });

  it('Symbol.dispose: `using` unbinds at the end of the block', async () => {
    handle!.unbind();
    {
      using scoped = instrumentNitro();
      expect(typeof scoped.unbind).toBe('function');
      await app.get('/users/10');
      expect(serverSpans()).toHaveLength(1);
    }
    recorder.reset();
    await app.get('/users/10');
    expect(recorder.ended).toHaveLength(0);
    handle = undefined;
  });

  it('middlewareSpans false: only the server span and the route span', async () => {
    handle!.unbind();
    handle = instrumentNitro({ middlewareSpans: false });
    await app.get('/users/11');
    const server = onlyServerSpan();
    const [route] = spansWithOp('request_handler.h3');
    expect(route!.parent_span_id).toBe(server.span_id);
    expect(recorder.ended).toHaveLength(2);
  });

  it('captureErrors false: the 500 marks the spans but nothing is captured', async () => {
    handle!.unbind();
    handle = instrumentNitro({ captureErrors: false });
    await app.get('/boom');
    expect(onlyServerSpan().status).toBe('error');
    expect(recorder.captures).toHaveLength(0);
  });
});

describe('instrumentNitro: h3 without srvx tracing', () => {
  it('h3.request with no srvx events: middleware and route spans still made, no http.server span', async () => {
    const bare = await startNitroApp({ srvxTracing: false });
    try {
      expect((await bare.get('/users/1')).status).toBe(200);
    } finally {
      await bare.close();
    }
    expect(serverSpans()).toHaveLength(0);
    const [h3Middleware] = spansWithOp('middleware.h3');
    const [route] = spansWithOp('request_handler.h3');
    expect(route!.parent_span_id).toBe(h3Middleware!.span_id);
    expect(attrs(route!)['http.route']).toBe('/users/:id');
  });
});

describe('instrumentNitro: srvx without h3', () => {
  let plain: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    const { serve } = await import('srvx');
    const { tracingPlugin } = await import('srvx/tracing');
    const server = serve({
      port: 0,
      hostname: '127.0.0.1',
      silent: true,
      plugins: [tracingPlugin()],
      middleware: [
        async function gate(request, next) {
          return new URL(request.url).pathname === '/blocked' ? new Response('no', { status: 403 }) : next();
        },
      ],
      fetch(request) {
        if (new URL(request.url).pathname === '/throw') throw new Error('srvx handler failed');
        return new Response('plain', { status: 503 });
      },
    });
    await server.ready();
    plain = { url: server.url!, close: () => server.close(true) };
  });

  afterAll(async () => {
    await plain.close();
  });

  it('srvx.request rejects: server span failed, the error captured once although it crosses two layers', async () => {
    const res = await fetch(new URL('/throw', plain.url));
    await res.text();
    expect(res.status).toBe(500);
    const server = onlyServerSpan();
    expect(server.status).toBe('error');
    expect(attrs(server)['error.type']).toBe('Error');
    expect(spansWithOp('middleware.srvx')[0]!.parent_span_id).toBe(server.span_id);
    expect(recorder.captures).toHaveLength(1);
    expect((recorder.captures[0]!.error as Error).message).toBe('srvx handler failed');
  });

  it('srvx.middleware answers early: server span ends with that Response (403), not failed', async () => {
    const res = await fetch(new URL('/blocked', plain.url));
    await res.text();
    expect(res.status).toBe(403);
    const server = onlyServerSpan();
    expect(nameOf(server)).toBe('GET /blocked');
    expect(attrs(server)['http.response.status_code']).toBe(403);
    expect(server.status).toBe('ok');
    expect(recorder.ended).toHaveLength(2);
  });

  it('srvx.request 503 Response: status 503 marks the server span failed, nothing captured', async () => {
    const res = await fetch(new URL('/plain', plain.url));
    await res.text();
    const server = onlyServerSpan();
    expect(attrs(server)['http.response.status_code']).toBe(503);
    expect(server.status).toBe('error');
    expect(attrs(server)['sentry.status.message']).toBe('unavailable');
    expect(recorder.captures).toHaveLength(0);
  });
});
