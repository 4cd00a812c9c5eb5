/**
 * `instrumentRedis()` against a real redis-server on a free loopback port, with the real node-redis
 * (`redis` v6) and ioredis (v6) clients, and a real `@sentry/core` client (scope-pair strategy)
 * recording every span that ends.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  Client,
  createStackParser,
  createTransport,
  getActiveSpan,
  setCurrentClient,
  spanToJSON,
  startSpan,
  type ClientOptions,
  type Event,
  type Span,
} from '@sentry/core';
import diagnosticsChannel from 'node:diagnostics_channel';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { setScopePairAsyncContextStrategy } from '../../src/index';
import { instrumentRedis, type RedisInstrumentation } from '../../src/redis';
import { viewSpan, type SpanView as RecordedSpanView } from '../helpers/recorded-spans';
import { skipWithoutRedisServer, startRedisServer, type RedisServer } from '../helpers/redis-server';

const DB = 3;

class RecordingClient extends Client<ClientOptions> {
  public constructor(options: ClientOptions) {
    super(options);
  }
  eventFromException(exception: unknown): PromiseLike<Event> {
    return Promise.resolve({ exception: { values: [{ type: 'Error', value: String((exception as Error)?.message ?? exception) }] } });
  }
  eventFromMessage(message: unknown): PromiseLike<Event> {
    return Promise.resolve({ message: String(message) });
  }
}

/** Every span ended and every error event sent since the last `reset()`. */
const recorded = { spans: [] as Span[], events: [] as Event[] };

/** An ended span reduced to what these tests compare, with its end time. */
type SpanView = RecordedSpanView & { end_timestamp: number | undefined };

function view(span: Span): SpanView {
  const json = spanToJSON(span);
  const ends = json as unknown as { end_timestamp?: number; timestamp?: number };
  return { ...viewSpan(json), end_timestamp: ends.end_timestamp ?? ends.timestamp };
}
function spansNamed(name: string): SpanView[] {
  return recorded.spans.map(view).filter((s) => s.name === name);
}
function redisSpans(): SpanView[] {
  return recorded.spans.map(view).filter((s) => s.op === 'db.redis' || s.op === 'db.redis.connect');
}

/** A connection of either client, with the few commands the tests use. */
interface Connection {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  incr(key: string): Promise<unknown>;
  lpush(key: string, value: string): Promise<unknown>;
  /** SET p:a 1, GET p:a, INCR p:n as a pipeline. */
  pipeline(): Promise<unknown>;
  /** SET m:a 1, GET m:a, INCR m:n as MULTI/EXEC. */
  multi(): Promise<unknown>;
  /** SET m:a 1, LPUSH m:a x (fails with WRONGTYPE inside EXEC) as MULTI/EXEC. */
  failingMulti(): Promise<unknown>;
  close(): Promise<void>;
}

interface Driver {
  name: 'redis' | 'ioredis';
  /** The `error.type` the client's error replies carry (their `name`). */
  replyErrorName: string;
  open(server: RedisServer): Promise<Connection>;
}

const nodeRedis: Driver = {
  name: 'redis',
  replyErrorName: 'Error', // node-redis' SimpleError keeps Error's name
  async open(server) {
    const c = createClient({ url: `${server.url}/${DB}` });
    c.on('error', () => undefined);
    await c.connect();
    return {
      set: (k, v) => c.set(k, v),
      get: (k) => c.get(k),
      incr: (k) => c.incr(k),
      lpush: (k, v) => c.lPush(k, v),
      pipeline: () => c.multi().set('p:a', '1').get('p:a').incr('p:n').execAsPipeline(),
      multi: () => c.multi().set('m:a', '1').get('m:a').incr('m:n').exec(),
      failingMulti: () => c.multi().set('m:a', '1').lPush('m:a', 'x').exec(),
      close: async () => {
        await c.quit();
      },
    };
  },
};

const ioredis: Driver = {
  name: 'ioredis',
  replyErrorName: 'ReplyError',
  async open(server) {
    const c = new Redis({ host: '127.0.0.1', port: server.port, db: DB, lazyConnect: true });
    await c.connect();
    return {
      set: (k, v) => c.set(k, v),
      get: (k) => c.get(k),
      incr: (k) => c.incr(k),
      lpush: (k, v) => c.lpush(k, v),
      pipeline: () => c.pipeline().set('p:a', '1').get('p:a').incr('p:n').exec(),
      multi: () => c.multi().set('m:a', '1').get('m:a').incr('m:n').exec(),
      failingMulti: () => c.multi().set('m:a', '1').lpush('m:a', 'x').exec(),
      close: async () => {
        await c.quit();
      },
    };
  },
};

const skip = skipWithoutRedisServer('redis integration tests (test/integration/redis.test.ts)');

describe.skipIf(skip)('instrumentRedis with a real redis-server', () => {
  let server: RedisServer;
  let instrumentation: RedisInstrumentation | undefined;

  beforeAll(async () => {
    server = (await startRedisServer())!;
    setScopePairAsyncContextStrategy();
    const client = new RecordingClient({
      dsn: 'http://public@127.0.0.1:9/1',
      integrations: [],
      stackParser: createStackParser(),
      tracesSampleRate: 1,
      // Nothing leaves the process: envelopes (spans, events) are dropped here.
      transport: (options) => createTransport(options, async () => ({ statusCode: 200 })),
      beforeSend: (event) => {
        recorded.events.push(event);
        return null;
      },
    });
    setCurrentClient(client);
    client.init();
    client.on('spanEnd', (span) => {
      recorded.spans.push(span);
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(() => {
    recorded.spans.length = 0;
    recorded.events.length = 0;
  });

  afterEach(() => {
    instrumentation?.unbind();
    instrumentation = undefined;
  });

  describe.each([nodeRedis, ioredis])('$name', (driver) => {
    let conn: Connection;
    const expectedBase = () => ({
      'sentry.op': 'db.redis',
      'sentry.origin': 'auto.db.redis.tracing_channel',
      'db.system.name': 'redis',
      'db.namespace': String(DB),
      'server.address': '127.0.0.1',
      'server.port': server.port,
    });

    beforeAll(async () => {
      conn = await driver.open(server);
      await conn.set('str', 'a string');
    });
    afterAll(async () => {
      await conn?.close();
    });

    it('tracePromise ok: SET, GET and INCR each make one span with exact attributes, parented to the request', async () => {
      instrumentation = instrumentRedis();
      let requestSpanId = '';
      await startSpan({ name: 'request' }, async (request) => {
        requestSpanId = request.spanContext().spanId;
        await conn.set('k', 'secret-value');
        expect(await conn.get('k')).toBe('secret-value');
        await conn.incr('counter');
      });
      const spans = redisSpans();
      expect(spans.map((s) => s.name)).toEqual(['SET', 'GET', 'INCR']);
      for (const span of spans) expect(span.parent_span_id).toBe(requestSpanId);
      expect(spans[0]!.attributes).toEqual({ ...expectedBase(), 'db.operation.name': 'SET', 'db.query.text': 'SET k ?' });
      expect(spans[1]!.attributes).toEqual({ ...expectedBase(), 'db.operation.name': 'GET', 'db.query.text': 'GET k' });
      expect(spans[2]!.attributes).toEqual({ ...expectedBase(), 'db.operation.name': 'INCR', 'db.query.text': 'INCR counter' });
      expect(spans.every((s) => s.status !== 'error')).toBe(true);
      expect(JSON.stringify(spans)).not.toContain('secret-value');
    });

    it('tracePromise error: WRONGTYPE marks the command span failed and the caller still gets the rejection', async () => {
      instrumentation = instrumentRedis();
      const error = await startSpan({ name: 'request' }, () => conn.lpush('str', 'x').then(() => undefined, (e: Error) => e));
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^WRONGTYPE /);
      const [span, ...rest] = spansNamed('LPUSH');
      expect(rest).toHaveLength(0);
      expect(span!.status).toBe('error');
      expect(span!.attributes).toMatchObject({
        'db.operation.name': 'LPUSH',
        'db.query.text': 'LPUSH str ?',
        'db.response.status_code': 'WRONGTYPE',
        'error.type': driver.replyErrorName,
        'sentry.status.message': (error as Error).message,
      });
      expect(recorded.events).toHaveLength(0); // captureError defaults to false
    });

    it('tracePromise error with captureError: the failed command is reported once', async () => {
      instrumentation = instrumentRedis({ captureError: true });
      await startSpan({ name: 'request' }, () => conn.lpush('str', 'x').catch(() => undefined));
      await vi.waitFor(() => expect(recorded.events).toHaveLength(1));
      expect(recorded.events[0]!.exception?.values?.[0]?.value).toMatch(/^WRONGTYPE /);
      expect(spansNamed('LPUSH')).toHaveLength(1);
    });

    it('batch ok: a pipeline is traced as the client publishes it', async () => {
      instrumentation = instrumentRedis();
      let requestSpanId = '';
      await startSpan({ name: 'request' }, async (request) => {
        requestSpanId = request.spanContext().spanId;
        await conn.pipeline();
      });
      const spans = redisSpans();
      if (driver.name === 'redis') {
        // node-redis publishes the pipeline on node-redis:batch and its commands inside it.
        expect(spans.map((s) => s.name).sort()).toEqual(['GET', 'INCR', 'PIPELINE', 'SET']);
        const [batch] = spansNamed('PIPELINE');
        expect(batch!.parent_span_id).toBe(requestSpanId);
        expect(batch!.attributes).toEqual({ ...expectedBase(), 'db.operation.name': 'PIPELINE', 'db.operation.batch.size': 3 });
        for (const name of ['SET', 'GET', 'INCR']) expect(spansNamed(name)[0]!.parent_span_id).toBe(batch!.span_id);
        expect(spansNamed('SET')[0]!.attributes).toEqual({ ...expectedBase(), 'db.operation.name': 'SET', 'db.query.text': 'SET p:a ?' });
      } else {
        // ioredis publishes no batch for pipelines: its commands arrive one by one.
        expect(spans.map((s) => s.name)).toEqual(['SET', 'GET', 'INCR']);
        for (const span of spans) expect(span.parent_span_id).toBe(requestSpanId);
        expect(spans.map((s) => s.attributes['db.query.text'])).toEqual(['SET p:a ?', 'GET p:a', 'INCR p:n']);
      }
    });

    it('batch ok: a MULTI is one span with its batch size', async () => {
      instrumentation = instrumentRedis();
      let requestSpanId = '';
      await startSpan({ name: 'request' }, async (request) => {
        requestSpanId = request.spanContext().spanId;
        await conn.multi();
      });
      const batches = redisSpans().filter((s) => s.attributes['db.operation.batch.size'] !== undefined);
      expect(batches).toHaveLength(1);
      const batch = batches[0]!;
      expect(batch.name).toBe('MULTI');
      expect(batch.parent_span_id).toBe(requestSpanId);
      expect(batch.status).not.toBe('error');
      expect(batch.attributes).toEqual({ ...expectedBase(), 'db.operation.name': 'MULTI', 'db.operation.batch.size': 3 });
      const children = redisSpans().filter((s) => s.parent_span_id === batch.span_id);
      if (driver.name === 'redis') {
        // node-redis publishes a MULTI as one batch, without its commands.
        expect(children).toHaveLength(0);
        expect(redisSpans()).toHaveLength(1);
      } else {
        // ioredis publishes every command of the transaction inside the batch.
        expect(children.map((s) => s.name)).toEqual(['MULTI', 'SET', 'GET', 'INCR', 'EXEC']);
      }
    });

    it('batch error: a MULTI whose EXEC reply holds a WRONGTYPE error is marked failed', async () => {
      instrumentation = instrumentRedis();
      await startSpan({ name: 'request' }, () => conn.failingMulti().catch(() => undefined));
      const batches = redisSpans().filter((s) => s.attributes['db.operation.batch.size'] !== undefined);
      expect(batches).toHaveLength(1);
      expect(batches[0]!.status).toBe('error');
      expect(batches[0]!.attributes).toMatchObject({
        'db.operation.batch.size': 2,
        'db.response.status_code': 'WRONGTYPE',
        'error.type': driver.replyErrorName,
      });
      expect(String(batches[0]!.attributes['sentry.status.message'])).toMatch(/^WRONGTYPE /);
    });

    it('tracePromise concurrency: 200 commands from 20 concurrent requests each parent to their own request', async () => {
      instrumentation = instrumentRedis();
      const requestIds = new Map<number, string>();
      await Promise.all(
        Array.from({ length: 20 }, (_, r) =>
          startSpan({ name: `request ${r}` }, async (request) => {
            requestIds.set(r, request.spanContext().spanId);
            await new Promise((resolve) => setImmediate(resolve));
            // 10 commands per request, in two concurrent waves with an await between them.
            await Promise.all(Array.from({ length: 5 }, (_, i) => conn.incr(`req:${r}:n${i}`)));
            await new Promise((resolve) => setTimeout(resolve, r % 3));
            expect(getActiveSpan()?.spanContext().spanId).toBe(request.spanContext().spanId);
            await Promise.all(Array.from({ length: 5 }, (_, i) => conn.get(`req:${r}:n${i}`)));
          }),
        ),
      );
      const commands = redisSpans();
      expect(commands).toHaveLength(200);
      const perRequest = new Map<number, number>();
      for (const span of commands) {
        const match = /^(?:INCR|GET) req:(\d+):n\d$/.exec(String(span.attributes['db.query.text']));
        expect(match).not.toBeNull();
        const r = Number(match![1]);
        expect(span.parent_span_id).toBe(requestIds.get(r));
        perRequest.set(r, (perRequest.get(r) ?? 0) + 1);
      }
      expect([...perRequest.values()]).toEqual(Array.from({ length: 20 }, () => 10));
    });

    it('tracePromise without parent: no span by default (requireParentSpan)', async () => {
      instrumentation = instrumentRedis();
      await conn.get('k');
      expect(redisSpans()).toHaveLength(0);
    });

    it('tracePromise without parent and requireParentSpan false: the command is a root span', async () => {
      instrumentation = instrumentRedis({ requireParentSpan: false });
      await conn.get('k');
      const spans = redisSpans();
      expect(spans).toHaveLength(1);
      expect(spans[0]!.name).toBe('GET');
      expect(spans[0]!.parent_span_id).toBeUndefined();
    });

    it('setup twice with the same options: one span per command, and the same handle', async () => {
      instrumentation = instrumentRedis();
      expect(instrumentRedis({ requireParentSpan: true })).toBe(instrumentation);
      await startSpan({ name: 'request' }, () => conn.get('k'));
      expect(spansNamed('GET')).toHaveLength(1);
    });

    it('setup twice with other options: rebound with the new ones, one span per command', async () => {
      const first = instrumentRedis();
      instrumentation = instrumentRedis({ requireParentSpan: false });
      expect(instrumentation).not.toBe(first);
      expect(instrumentation.options.requireParentSpan).toBe(false);
      await conn.get('k'); // no parent: a root span only under the new options
      await startSpan({ name: 'request' }, () => conn.get('k'));
      expect(spansNamed('GET')).toHaveLength(2);
      first.unbind(); // the replaced handle is already unbound: this changes nothing
      await conn.get('k');
      expect(spansNamed('GET')).toHaveLength(3);
    });

    it('setup from a second copy of the module: same handle, one span per command', async () => {
      instrumentation = instrumentRedis();
      vi.resetModules();
      const copy = (await import('../../src/redis')) as typeof import('../../src/redis');
      expect(copy.instrumentRedis).not.toBe(instrumentRedis);
      expect(copy.instrumentRedis()).toBe(instrumentation);
      await startSpan({ name: 'request' }, () => conn.get('k'));
      expect(spansNamed('GET')).toHaveLength(1);
    });

    it('unbind: no spans afterwards, idempotent, and setup works again', async () => {
      const first = instrumentRedis();
      first.unbind();
      first.unbind();
      await startSpan({ name: 'request' }, () => conn.get('k'));
      expect(redisSpans()).toHaveLength(0);

      instrumentation = instrumentRedis();
      expect(instrumentation).not.toBe(first);
      await startSpan({ name: 'request' }, () => conn.get('k'));
      expect(spansNamed('GET')).toHaveLength(1);
    });

    it('Symbol.dispose: a `using` scope unbinds at its end', async () => {
      {
        using scoped = instrumentRedis();
        expect(scoped.options.connectSpans).toBe('with-parent');
        await startSpan({ name: 'request' }, () => conn.get('k'));
      }
      await startSpan({ name: 'request' }, () => conn.get('k'));
      expect(spansNamed('GET')).toHaveLength(1);
    });

    it('unbind during a command: the span already started still ends once', async () => {
      const handle = instrumentRedis();
      await startSpan({ name: 'request' }, async () => {
        const pending = conn.get('k');
        handle.unbind();
        await pending;
        await conn.get('k');
      });
      expect(spansNamed('GET')).toHaveLength(1);
      expect(spansNamed('GET')[0]!.end_timestamp).toBeGreaterThan(0);
    });
  });

  describe('connect', () => {
    const connectors: Record<'redis' | 'ioredis', () => Promise<() => Promise<unknown>>> = {
      redis: async () => {
        const c = createClient({ url: `${server.url}/${DB}` });
        c.on('error', () => undefined);
        await c.connect();
        return () => c.quit();
      },
      ioredis: async () => {
        const c = new Redis({ host: '127.0.0.1', port: server.port, db: DB, lazyConnect: true });
        await c.connect();
        return () => c.quit();
      },
    };

    describe.each(['redis', 'ioredis'] as const)('%s', (name) => {
      it('tracePromise connect inside a request: one connect span, child of the request', async () => {
        instrumentation = instrumentRedis();
        let requestSpanId = '';
        const close = await startSpan({ name: 'request' }, (request) => {
          requestSpanId = request.spanContext().spanId;
          return connectors[name]();
        });
        await close();
        const connects = spansNamed('connect');
        expect(connects).toHaveLength(1);
        expect(connects[0]!.parent_span_id).toBe(requestSpanId);
        expect(connects[0]!.op).toBe('db.redis.connect');
        expect(connects[0]!.attributes).toMatchObject({
          'db.system.name': 'redis',
          'server.address': '127.0.0.1',
          'server.port': server.port,
        });
        // Commands the client sends while connecting (ioredis' handshake) nest under the connect.
        const handshake = redisSpans().filter((s) => s.op === 'db.redis' && s.parent_span_id === connects[0]!.span_id);
        if (name === 'ioredis') expect(handshake.map((s) => s.name)).toContain('SELECT');
        expect(redisSpans().filter((s) => s.parent_span_id === requestSpanId)).toHaveLength(1);
      });

      it('tracePromise connect outside any span: no span at all', async () => {
        instrumentation = instrumentRedis();
        const close = await connectors[name]();
        await close();
        expect(redisSpans()).toHaveLength(0);
      });

      it("tracePromise connect with connectSpans 'never': no connect span inside a request", async () => {
        instrumentation = instrumentRedis({ connectSpans: 'never' });
        const close = await startSpan({ name: 'request' }, () => connectors[name]());
        await close();
        expect(spansNamed('connect')).toHaveLength(0);
      });

      it("tracePromise connect with connectSpans 'always': a root connect span outside any request", async () => {
        instrumentation = instrumentRedis({ connectSpans: 'always' });
        const close = await connectors[name]();
        await close();
        const connects = spansNamed('connect');
        expect(connects).toHaveLength(1);
        expect(connects[0]!.parent_span_id).toBeUndefined();
      });
    });
  });

  describe('payloads the clients never send', () => {
    it('tracePromise ok with a payload that throws on every read: the call returns its value, no span, no uncaughtException', async () => {
      instrumentation = instrumentRedis();
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error('hostile read');
          },
          has() {
            throw new Error('hostile has');
          },
        },
      );
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const value = await startSpan({ name: 'request' }, () =>
          diagnosticsChannel.tracingChannel('ioredis:command').tracePromise(async () => 'value', hostile as object),
        );
        expect(value).toBe('value');
        await new Promise((resolve) => setTimeout(resolve, 10));
      } finally {
        process.off('uncaughtException', onUncaught);
      }
      expect(uncaught).toEqual([]);
      expect(redisSpans()).toHaveLength(0);
    });

    it('tracePromise ok with odd argument values: the span is made and unprintable arguments read as ?', async () => {
      instrumentation = instrumentRedis();
      const unprintable = {
        toString() {
          throw new Error('no string');
        },
      };
      const payload = { command: 'get', args: [unprintable, 42, 'k'], database: 'x', serverPort: -1 };
      const value = await startSpan({ name: 'request' }, () =>
        diagnosticsChannel.tracingChannel('ioredis:command').tracePromise(async () => 7, payload),
      );
      expect(value).toBe(7);
      const [span, ...rest] = spansNamed('GET');
      expect(rest).toHaveLength(0);
      expect(span!.attributes).toEqual({
        'sentry.op': 'db.redis',
        'sentry.origin': 'auto.db.redis.tracing_channel',
        'db.system.name': 'redis',
        'db.operation.name': 'GET',
        'db.query.text': 'GET ? 42 k',
      });
      // Only Node's own `result` was added to the publisher's payload.
      expect(Object.keys(payload).sort()).toEqual(['args', 'command', 'database', 'result', 'serverPort']);
    });

    it('tracePromise ok with a huge key list: db.query.text is cut at 2048 characters', async () => {
      instrumentation = instrumentRedis();
      const keys = Array.from({ length: 2_000 }, (_, i) => `key:${i}`);
      await startSpan({ name: 'request' }, () =>
        diagnosticsChannel.tracingChannel('node-redis:command').tracePromise(async () => keys.length, {
          command: 'DEL',
          args: ['DEL', ...keys],
        }),
      );
      const text = String(spansNamed('DEL')[0]!.attributes['db.query.text']);
      expect(text).toHaveLength(2048);
      expect(text.startsWith('DEL key:0 key:1 ')).toBe(true);
      expect(text.endsWith('…')).toBe(true);
    });
  });

  describe('reconnect', () => {
    it('tracePromise reconnect after the server dropped the connection: no span, not even under the ended first connect', async () => {
      instrumentation = instrumentRedis();
      const c = await startSpan({ name: 'request' }, async () => {
        const client = new Redis({ host: '127.0.0.1', port: server.port, db: DB, lazyConnect: true, retryStrategy: () => 10 });
        await client.connect();
        await client.client('SETNAME', 'reconnect-probe');
        return client;
      });
      const first = recorded.spans.length;
      const reconnected = new Promise<void>((resolve) => c.once('ready', () => resolve()));
      const admin = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
      await admin.connect();
      await admin.call('CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'yes');
      await reconnected;
      await c.get('k');
      c.disconnect();
      admin.disconnect();
      expect(spansNamed('connect')).toHaveLength(1); // the first one, inside the request
      // Neither the reconnect nor its handshake (which run in the first connect's context) made spans.
      expect(recorded.spans.slice(first).map(view).filter((s) => s.op === 'db.redis' || s.op === 'db.redis.connect')).toEqual([]);
    });
  });

  describe('options', () => {
    it('clients: only the listed client is traced', async () => {
      instrumentation = instrumentRedis({ clients: ['ioredis'] });
      const a = await nodeRedis.open(server);
      const b = await ioredis.open(server);
      await startSpan({ name: 'request' }, async () => {
        await a.get('k');
        await b.get('k');
      });
      await a.close();
      await b.close();
      expect(spansNamed('GET')).toHaveLength(1);
    });

    it('setup with a bad option: TypeError naming it, and nothing is bound', () => {
      expect(() => instrumentRedis({ clients: ['mysql' as 'redis'] })).toThrow(/options\.clients/);
      expect(() => instrumentRedis({ connectSpans: 'sometimes' as 'never' })).toThrow(/options\.connectSpans/);
      expect(() => instrumentRedis({ requireParentSpan: 'yes' as unknown as boolean })).toThrow(TypeError);
      instrumentation = instrumentRedis();
      expect(instrumentation.options.clients).toEqual(['redis', 'ioredis']);
    });
  });
});
