/**
 * `instrumentRedis()` through the real `@sentry/node` (its OpenTelemetry async context), sending real
 * envelopes to a local receiver. Own file: `Sentry.init` is process-global and vitest runs each file
 * in its own fork.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Sentry from '@sentry/node';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { instrumentRedis, type RedisInstrumentation } from '../../src/redis';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../helpers/envelope-receiver';
import { skipWithoutRedisServer, startRedisServer, type RedisServer } from '../helpers/redis-server';

/** A span-streaming attribute (`{ type, value }`) or a plain value, as its value. */
function attr(span: any, key: string): unknown {
  const raw = span.attributes?.[key] ?? span.data?.[key];
  return raw !== null && typeof raw === 'object' && 'value' in raw ? raw.value : raw;
}

const skip = skipWithoutRedisServer('redis @sentry/node tests (test/integration/redis-sentry-node.test.ts)');

describe.skipIf(skip)('instrumentRedis with @sentry/node and a real redis-server', () => {
  let server: RedisServer;
  let receiver: EnvelopeReceiver;
  let instrumentation: RedisInstrumentation;

  beforeAll(async () => {
    server = (await startRedisServer())!;
    receiver = await startEnvelopeReceiver();
    Sentry.init({
      dsn: receiver.dsn,
      tracesSampleRate: 1,
      // @sentry/node 11 ships its own `Redis` integration on the same channels: without this
      // filter every command would be traced twice.
      integrations: (defaults) => defaults.filter((integration) => integration.name !== 'Redis'),
    });
    instrumentation = instrumentRedis();
  });

  afterAll(async () => {
    instrumentation?.unbind();
    await Sentry.close(2_000);
    await receiver?.close();
    await server?.stop();
  });

  const clients = {
    redis: async () => {
      const c = createClient({ url: `${server.url}/1` });
      c.on('error', () => undefined);
      await c.connect();
      return {
        set: (k: string, v: string) => c.set(k, v),
        get: (k: string) => c.get(k),
        lpush: (k: string, v: string) => c.lPush(k, v),
        close: () => c.quit(),
      };
    },
    ioredis: async () => {
      const c = new Redis({ host: '127.0.0.1', port: server.port, db: 1, lazyConnect: true });
      await c.connect();
      return {
        set: (k: string, v: string) => c.set(k, v),
        get: (k: string) => c.get(k),
        lpush: (k: string, v: string) => c.lpush(k, v),
        close: () => c.quit(),
      };
    },
  };

  it.each(['redis', 'ioredis'] as const)(
    'tracePromise ok (%s): the command spans reach Sentry under the request span with their attributes',
    async (name) => {
      const conn = await clients[name]();
      await conn.set(`${name}:str`, 'text');
      let traceId = '';
      let requestSpanId = '';
      await Sentry.startNewTrace(() =>
        Sentry.startSpan({ name: `request ${name}`, op: 'http.server' }, async (request) => {
          traceId = request.spanContext().traceId;
          requestSpanId = request.spanContext().spanId;
          await conn.set(`${name}:k`, 'secret-value');
          await conn.get(`${name}:k`);
          await conn.lpush(`${name}:str`, 'x').catch(() => undefined);
        }),
      );
      await conn.close();
      await Sentry.flush(5_000);

      const ofTrace = () => receiver.spans().filter((s) => s.trace_id === traceId);
      const spans = await receiver.waitFor(() => {
        const found = ofTrace();
        return ['SET', 'GET', 'LPUSH'].every((n) => found.some((s) => s.name === n)) ? found : undefined;
      });
      const byName = (n: string) => spans.filter((s) => s.name === n);
      for (const n of ['SET', 'GET', 'LPUSH']) {
        expect(byName(n)).toHaveLength(1); // traced once: no second integration on the channel
        expect(byName(n)[0].parent_span_id).toBe(requestSpanId);
        expect(attr(byName(n)[0], 'sentry.op')).toBe('db.redis');
        expect(attr(byName(n)[0], 'db.system.name')).toBe('redis');
        expect(attr(byName(n)[0], 'db.namespace')).toBe('1');
        expect(attr(byName(n)[0], 'server.address')).toBe('127.0.0.1');
        expect(attr(byName(n)[0], 'server.port')).toBe(server.port);
      }
      const get = byName('GET')[0];
      expect(attr(get, 'db.operation.name')).toBe('GET');
      expect(attr(get, 'db.query.text')).toBe(`GET ${name}:k`);
      expect(attr(byName('SET')[0], 'db.query.text')).toBe(`SET ${name}:k ?`);
      expect(JSON.stringify(spans)).not.toContain('secret-value');
      const failed = byName('LPUSH')[0];
      expect(failed.status).toBe('error');
      expect(attr(failed, 'db.response.status_code')).toBe('WRONGTYPE');
    },
  );
});
