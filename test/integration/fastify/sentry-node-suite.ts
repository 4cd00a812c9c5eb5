/**
 * `instrumentFastify()` beside `@sentry/node` (its Http integration makes the server span), real
 * HTTP, real envelopes to a local receiver. `mode` picks the default integrations as they are
 * (Sentry's `Fastify` on: ours stands down) or without `Fastify` (ours traces the handlers).
 * One mode per test file: `Sentry.init` is process-global.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Sentry from '@sentry/node';
import { instrumentFastify, type FastifyInstrumentation } from '../../../src/fastify';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../../helpers/envelope-receiver';
import { attributeValue } from '../../helpers/recorded-spans';
import { call, startFastifyApp } from './fastify-app';

/** Registers the suite for one mode. */
export function fastifyWithSentryNode(mode: 'defaults' | 'without-sentry-fastify'): void {
  describe(`instrumentFastify with @sentry/node (${mode})`, () => {
    let receiver: EnvelopeReceiver;
    let instrumentation: FastifyInstrumentation;
    let server: Awaited<ReturnType<typeof startFastifyApp>>;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    beforeAll(async () => {
      receiver = await startEnvelopeReceiver();
      Sentry.init({
        dsn: receiver.dsn,
        tracesSampleRate: 1,
        integrations: mode === 'defaults' ? undefined : (defaults) => defaults.filter((i) => i.name !== 'Fastify'),
      });
      instrumentation = instrumentFastify();
      // after Sentry.init, as Sentry's Fastify integration requires
      server = await startFastifyApp({ activeInHandler: new Map(), beforeLateReply: () => undefined });
    });
    afterAll(async () => {
      instrumentation?.unbind();
      await server?.close();
      await Sentry.close(2_000);
      await receiver?.close();
      warn.mockRestore();
    });

    it('each request: one server span (Http), exactly one handler span, errors captured once', async () => {
      const paths = ['/async/1', '/sync-later', '/throw'];
      for (const path of paths) await call(server.url, path);
      await Sentry.flush(5_000);
      const serverSpans = () => receiver.spans().filter((s) => attributeValue(s, 'sentry.op') === 'http.server');
      const handlerSpans = () =>
        receiver.spans().filter((s) => /request.handler|route-handler|handler/.test(String(attributeValue(s, 'sentry.op'))) || /^request handler - /.test(s.name));
      await receiver.waitFor(() => (serverSpans().length >= 3 && handlerSpans().length >= 3) || undefined);
      await receiver.waitFor(() => receiver.items('event').length >= 1 || undefined);
      expect(serverSpans()).toHaveLength(3);
      const ours = handlerSpans().filter((s) => attributeValue(s, 'sentry.origin') === 'auto.http.fastify.tracing_channel');
      for (const serverSpan of serverSpans()) {
        const route = attributeValue(serverSpan, 'http.route');
        expect(['/async/:id', '/sync-later', '/throw']).toContain(route);
        const handlers = ours.filter((h) => h.parent_span_id === serverSpan.span_id);
        if (mode === 'defaults') {
          expect(handlers).toHaveLength(0);
        } else {
          expect(handlers.map((h) => h.name)).toEqual([`request handler - ${route}`]);
          expect(serverSpan.name).toBe(`GET ${route}`);
        }
      }
      if (mode === 'defaults') {
        const sentryHandlers = receiver.spans().filter((s) => attributeValue(s, 'sentry.origin') === 'auto.http.fastify' && attributeValue(s, 'fastify.type') === 'request-handler');
        expect(sentryHandlers).toHaveLength(3);
        expect(warn.mock.calls.filter((c) => String(c[0]).includes('instrumentFastify stands down'))).toHaveLength(1);
      } else {
        expect(ours).toHaveLength(3);
        expect(ours.find((h) => h.name === 'request handler - /throw')!.status).toBe('error');
        expect(warn.mock.calls.filter((c) => String(c[0]).includes('instrumentFastify'))).toHaveLength(0);
      }
      await new Promise((r) => setTimeout(r, 200));
      await Sentry.flush(2_000);
      const errors = receiver.items('event').filter((e) => e.payload.exception?.values?.[0]?.value === 'sync boom');
      expect(errors).toHaveLength(1);
      if (mode !== 'defaults') {
        expect(errors[0]!.payload.exception.values[0].mechanism.type).toBe('auto.http.fastify.tracing_channel');
        expect(errors[0]!.payload.transaction).toBe('GET /throw');
      }
    });
  });
}
