/**
 * The handler spans keep the names the README documents (`request handler - <route>`) once the
 * real @sentry/node has sent them. @sentry/node 10 exports spans through OpenTelemetry, whose
 * exporter renames an auto-instrumented span that carries `http.request.method` to
 * `<METHOD> <route>` unless its name is marked custom; 11 sends the name as given. Part of the
 * Sentry dimension of `npm run test:matrix` (10.61 … 11.12).
 */
import * as Sentry from '@sentry/node';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentFastify } from '../../src/fastify';
import { instrumentNitro } from '../../src/nitro';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../helpers/envelope-receiver';
import { startNitroApp } from '../helpers/nitro-app';

type SentSpan = { name?: string; description?: string; op?: string; data?: Record<string, unknown>; attributes?: Record<string, { value?: unknown }> };
const opOf = (span: SentSpan): unknown => span.op ?? span.attributes?.['sentry.op']?.value ?? span.data?.['sentry.op'];
const nameOf = (span: SentSpan): unknown => span.name ?? span.description;

describe('handler span names through the real @sentry/node', () => {
  let receiver: EnvelopeReceiver;
  beforeAll(async () => {
    receiver = await startEnvelopeReceiver();
    Sentry.init({ dsn: receiver.dsn, tracesSampleRate: 1, defaultIntegrations: false });
    instrumentNitro();
    instrumentFastify();
  });
  afterAll(async () => {
    await Sentry.close(2000);
    await receiver.close();
  });

  async function sentWithOp(op: string): Promise<SentSpan[]> {
    await Sentry.flush(5000);
    return receiver.waitFor(() => {
      const found = (receiver.spans() as SentSpan[]).filter((span) => opOf(span) === op);
      return found.length > 0 ? found : undefined;
    });
  }

  it('h3 route span: "request handler - /users/:id"', async () => {
    const app = await startNitroApp();
    try {
      expect((await app.get('/users/7')).status).toBe(200);
    } finally {
      await app.close();
    }
    const routes = await sentWithOp('request_handler.h3');
    expect(routes.map(nameOf)).toEqual(['request handler - /users/:id']);
  });

  it('fastify handler span: "request handler - /users/:id"', async () => {
    const app = Fastify();
    app.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = app.server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${address.port}/users/7`);
      expect(res.status).toBe(200);
    } finally {
      await app.close();
    }
    const handlers = await sentWithOp('request_handler.fastify');
    expect(handlers.map(nameOf)).toEqual(['request handler - /users/:id']);
  });
});
