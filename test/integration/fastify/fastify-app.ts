/** A real fastify 5 app with one route per handler shape the integration must handle, listening on a free loopback port. */
import Fastify, { type FastifyInstance } from 'fastify';
import { getActiveSpan, startSpan } from '@sentry/core';

/** What the handlers saw, for the tests: the active span inside, and hooks to look at the recorder mid-request. */
export interface AppProbe {
  activeInHandler: Map<string, string | undefined>;
  /** Called right before a late reply is sent (sync-replying-later, hijacked). */
  beforeLateReply: (route: string) => void;
}

/** Starts the app; `close()` stops it. */
export async function startFastifyApp(probe: AppProbe): Promise<{ app: FastifyInstance; url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  const seen = (key: string) => probe.activeInHandler.set(key, getActiveSpan()?.spanContext().spanId);
  app.get('/async/:id', async (request) => {
    const id = (request.params as { id: string }).id;
    seen(`async ${id}`);
    await new Promise((r) => setTimeout(r, 5));
    return startSpan({ name: `work ${id}` }, () => ({ id }));
  });
  app.get('/sync-now', (_request, reply) => {
    seen('sync-now');
    reply.send('now');
  });
  app.get('/sync-later', (_request, reply) => {
    seen('sync-later');
    setTimeout(() => {
      probe.beforeLateReply('/sync-later');
      reply.send('later');
    }, 10);
  });
  app.get('/hijacked', (_request, reply) => {
    seen('hijacked');
    reply.hijack();
    setTimeout(() => {
      probe.beforeLateReply('/hijacked');
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      reply.raw.end('raw');
    }, 10);
  });
  app.get('/throw', () => {
    throw new TypeError('sync boom');
  });
  app.get('/reject', async () => {
    await new Promise((r) => setImmediate(r));
    throw new RangeError('async boom');
  });
  app.get('/bad-request', () => {
    throw Object.assign(new Error('no such thing'), { statusCode: 400 });
  });
  app.post(
    '/validated',
    { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
    async (request) => ({ hello: (request.body as { name: string }).name }),
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, close: () => app.close() };
}

/** One request: status and body text. */
export async function call(url: string, path: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const response = await fetch(url + path, init);
  return { status: response.status, body: await response.text() };
}

/** The requests every suite sends, with what an uninstrumented app answers. */
export const REQUESTS: Array<{ path: string; init?: RequestInit }> = [
  { path: '/async/1' },
  { path: '/sync-now' },
  { path: '/sync-later' },
  { path: '/hijacked' },
  { path: '/throw' },
  { path: '/reject' },
  { path: '/bad-request' },
  { path: '/validated', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' } },
  { path: '/missing' },
];
