/**
 * `instrumentFastify()` against the real fastify 5 over real HTTP, with a real `@sentry/core`
 * client (scope-pair strategy, no HTTP integration: the server span is ours) recording every span.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setScopePairAsyncContextStrategy } from '../../../src/index';
import { instrumentFastify, type FastifyInstrumentation } from '../../../src/fastify';
import { installRecordingClient, type Recorder } from '../../helpers/test-client';
import { viewSpan, type SpanView } from '../../helpers/recorded-spans';
import { REQUESTS, call, startFastifyApp, type AppProbe } from './fastify-app';

describe('instrumentFastify with fastify 5 over real HTTP (server span is ours)', () => {
  let recorder: Recorder;
  let server: Awaited<ReturnType<typeof startFastifyApp>>;
  let instrumentation: FastifyInstrumentation | undefined;
  let uninstrumented: Array<{ status: number; body: string }>;
  const endedAtLateReply = new Map<string, boolean>();
  const probe: AppProbe = {
    activeInHandler: new Map(),
    beforeLateReply: (route) => endedAtLateReply.set(route, handlerSpans(route).length > 0),
  };
  const spans = (): SpanView[] => recorder.ended.map(viewSpan);
  const handlerSpans = (route: string) => spans().filter((s) => s.name === `request handler - ${route}`);
  const serverSpans = () => spans().filter((s) => s.op === 'http.server');

  beforeAll(async () => {
    setScopePairAsyncContextStrategy();
    recorder = installRecordingClient();
    server = await startFastifyApp(probe);
    uninstrumented = [];
    for (const r of REQUESTS) uninstrumented.push(await call(server.url, r.path, r.init));
    expect(spans()).toHaveLength(1); // only the `work 1` span the async handler makes itself
  });
  afterEach(() => {
    instrumentation?.unbind();
    instrumentation = undefined;
    recorder.reset();
    probe.activeInHandler.clear();
  });
  afterAll(async () => {
    instrumentation?.unbind();
    await server?.close();
  });

  it('every handler shape: responses identical to an uninstrumented run; one handler span under one server span each', async () => {
    instrumentation = instrumentFastify();
    const responses = [];
    for (const r of REQUESTS) responses.push(await call(server.url, r.path, r.init));
    expect(responses).toEqual(uninstrumented);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 500, 500, 400, 400, 404]);
    const traced = ['/async/:id', '/sync-now', '/sync-later', '/hijacked', '/throw', '/reject', '/bad-request'];
    const servers = serverSpans();
    expect(servers.map((s) => s.name).sort()).toEqual(traced.map((r) => `GET ${r}`).sort());
    for (const route of traced) {
      const [handler, ...more] = handlerSpans(route);
      expect(more).toHaveLength(0);
      const parent = servers.find((s) => s.span_id === handler!.parent_span_id)!;
      expect(parent.name).toBe(`GET ${route}`);
      expect(parent.attributes['http.route']).toBe(route);
      expect(handler!.op).toBe('request_handler.fastify');
      expect(handler!.attributes['http.route']).toBe(route);
    }
    // validation failure (400 before the handler) and 404 publish nothing
    expect(spans().filter((s) => /validated|missing/.test(s.name))).toHaveLength(0);
  });

  it('sync-replying-later and hijacked: the handler span is still open right before the reply and ended after it', async () => {
    instrumentation = instrumentFastify();
    endedAtLateReply.clear();
    expect((await call(server.url, '/sync-later')).body).toBe('later');
    expect((await call(server.url, '/hijacked')).body).toBe('raw');
    expect((await call(server.url, '/sync-now')).body).toBe('now');
    expect(endedAtLateReply.get('/sync-later')).toBe(false);
    expect(endedAtLateReply.get('/hijacked')).toBe(false);
    expect(handlerSpans('/sync-later')).toHaveLength(1);
    expect(handlerSpans('/hijacked')).toHaveLength(1);
    for (const route of ['/sync-later', '/hijacked', '/sync-now']) {
      expect(handlerSpans(route)[0]!.status).toBe('ok');
      expect(handlerSpans(route)[0]!.attributes['http.response.status_code']).toBe(200);
    }
  });

  it('throwing and rejecting handlers: both spans failed with the message, captured exactly once; a thrown 400 stays ok, not captured', async () => {
    instrumentation = instrumentFastify();
    await call(server.url, '/throw');
    await call(server.url, '/reject');
    await call(server.url, '/bad-request');
    for (const [route, message, type] of [
      ['/throw', 'sync boom', 'TypeError'],
      ['/reject', 'async boom', 'RangeError'],
    ] as const) {
      const handler = handlerSpans(route)[0]!;
      expect(handler.status).toBe('error');
      expect(handler.message).toBe(message);
      expect(handler.attributes['error.type']).toBe(type);
      expect(handler.attributes['http.response.status_code']).toBe(500);
      const serverSpan = serverSpans().find((s) => s.span_id === handler.parent_span_id)!;
      expect(serverSpan.status).toBe('error');
    }
    expect(recorder.captures.map((c) => (c.error as Error).message).sort()).toEqual(['async boom', 'sync boom']);
    const bad = handlerSpans('/bad-request')[0]!;
    expect(bad.status).toBe('ok');
    expect(bad.attributes['http.response.status_code']).toBe(400);
  });

  it('captureErrors: false: spans still failed, nothing captured', async () => {
    instrumentation = instrumentFastify({ captureErrors: false });
    await call(server.url, '/throw');
    expect(handlerSpans('/throw')[0]!.status).toBe('error');
    expect(recorder.captures).toHaveLength(0);
  });

  it('10 concurrent requests: each handler span is the active span in its handler, child of its own server span, in its own trace', async () => {
    instrumentation = instrumentFastify();
    const ids = Array.from({ length: 10 }, (_, i) => String(i));
    const bodies = await Promise.all(ids.map((id) => call(server.url, `/async/${id}`)));
    expect(bodies.map((b) => JSON.parse(b.body).id)).toEqual(ids);
    const handlers = handlerSpans('/async/:id');
    expect(handlers).toHaveLength(10);
    expect(serverSpans()).toHaveLength(10);
    expect(new Set(handlers.map((h) => h.trace_id)).size).toBe(10);
    for (const id of ids) {
      const work = spans().find((s) => s.name === `work ${id}`)!;
      const handler = handlers.find((h) => h.span_id === work.parent_span_id)!;
      expect(handler).toBeDefined();
      expect(probe.activeInHandler.get(`async ${id}`)).toBe(handler.span_id);
      expect(serverSpans().find((s) => s.span_id === handler.parent_span_id)!.trace_id).toBe(work.trace_id);
    }
  });

  it('an incoming sentry-trace header is continued by our server span', async () => {
    instrumentation = instrumentFastify();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await call(server.url, '/sync-now', { headers: { 'sentry-trace': `${traceId}-b7ad6b7169203331-1` } });
    const [serverSpan] = serverSpans();
    expect(serverSpan!.trace_id).toBe(traceId);
    expect(serverSpan!.parent_span_id).toBe('b7ad6b7169203331');
  });

  it('an incoming unsampled trace (sentry-trace flag 0): the server span joins it unsampled, no handler span, the response is unchanged', async () => {
    instrumentation = instrumentFastify();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await call(server.url, '/sync-now', { headers: { 'sentry-trace': `${traceId}-b7ad6b7169203331-0` } });
    expect(response).toEqual({ status: 200, body: 'now' });
    expect(handlerSpans('/sync-now')).toHaveLength(0);
    // an unsampled root still reports its end to the client (for its outcome counts), never sent
    for (const span of serverSpans()) expect(span.trace_id).toBe(traceId);
  });

  it('setup: a bad option is a TypeError naming it; same options, same handle; other options rebind; after unbind no spans', async () => {
    expect(() => instrumentFastify({ captureErrors: 'yes' as never })).toThrow(/options\.captureErrors/);
    const first = instrumentFastify();
    expect(instrumentFastify({ captureErrors: true })).toBe(first);
    instrumentation = instrumentFastify({ captureErrors: false });
    expect(instrumentation).not.toBe(first);
    await call(server.url, '/sync-now');
    await call(server.url, '/throw');
    expect(handlerSpans('/sync-now')).toHaveLength(1);
    expect(handlerSpans('/throw')).toHaveLength(1);
    expect(recorder.captures).toHaveLength(0);
    instrumentation.unbind();
    recorder.reset();
    await call(server.url, '/sync-now');
    expect(spans()).toHaveLength(0);
  });
});
