/**
 * `instrumentNitro()`'s storage layer against the real unstorage 2 (`withTracing`), with its
 * memory driver and its redis driver on a real redis-server, and a real `@sentry/core` client
 * (scope-pair strategy) recording every span that ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanToJSON, startSpan, type Span } from '@sentry/core';
import { createStorage, type Storage } from 'unstorage';
import { withTracing } from 'unstorage/tracing';
import memoryDriver from 'unstorage/drivers/memory';
import redisDriver from 'unstorage/drivers/redis';
import { setScopePairAsyncContextStrategy } from '../../src/index';
import { instrumentNitro } from '../../src/nitro';
import { instrumentEachTest } from '../helpers/instrumentation-per-test';
import { installRecordingClient, type Recorder } from '../helpers/test-client';
import { skipWithoutRedisServer, startRedisServer, type RedisServer } from '../helpers/redis-server';

type Json = ReturnType<typeof spanToJSON>;
const ORIGIN = 'auto.cache.tracing_channel_span.nitro';

function storageSpans(recorder: Recorder): Json[] {
  return recorder.ended.filter((s) => s.attributes?.['sentry.origin'] === ORIGIN);
}

/** Runs the same calls on any storage; returns what each call gave back. */
async function exercise(storage: Storage): Promise<unknown[]> {
  const out: unknown[] = [];
  out.push(await storage.setItem('cache:user:1', { name: 'ada' }));
  out.push(await storage.getItem('cache:user:1'));
  out.push(await storage.getItem('cache:user:404'));
  out.push(await storage.hasItem('cache:user:1'));
  out.push(await storage.getItems(['cache:user:1', 'cache:user:2']));
  out.push((await storage.getKeys('cache')).sort());
  out.push(await storage.removeItem('cache:user:1'));
  out.push(await storage.getItem('cache:user:1'));
  return out;
}

const EXPECTED_CALLS = [
  ['setItem', 'cache.put', 'cache:user:1', undefined],
  ['getItem', 'cache.get', 'cache:user:1', true],
  ['getItem', 'cache.get', 'cache:user:404', false],
  ['hasItem', 'cache.get', 'cache:user:1', true],
  ['getItems', 'cache.get', ['cache:user:1', 'cache:user:2'], true],
  ['getKeys', 'db', 'cache:', undefined],
  ['removeItem', 'cache.remove', 'cache:user:1', undefined],
  ['getItem', 'cache.get', 'cache:user:1', false],
];

const drivers: Array<{ name: string; system: string; skip: boolean; make: (redis?: RedisServer) => Storage }> = [
  { name: 'memory', system: 'memory', skip: false, make: () => createStorage({ driver: memoryDriver() }) },
  {
    name: 'redis',
    system: 'redis',
    skip: skipWithoutRedisServer('unstorage redis driver tests (test/integration/nitro-storage.test.ts)'),
    make: (redis) => createStorage({ driver: redisDriver({ url: redis!.url, base: 'tcs' }) }),
  },
];

describe('instrumentNitro storage spans with the real unstorage 2', () => {
  let recorder: Recorder;
  const instrumentation = instrumentEachTest(() => instrumentNitro(), () => recorder);
  let redis: RedisServer | undefined;

  beforeAll(async () => {
    setScopePairAsyncContextStrategy();
    recorder = installRecordingClient();
    if (!drivers[1]!.skip) redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describe.each(drivers)('$name driver', (driver) => {
    it.skipIf(driver.skip)('tracePromise: one span per call under the caller, method, op, key and hit; results as uninstrumented', async () => {
      const plainStorage = driver.make(redis);
      instrumentation.stop();
      const plain = await exercise(withTracing(plainStorage));
      await plainStorage.clear();
      expect(recorder.ended).toHaveLength(0);
      instrumentation.replace(() => instrumentNitro());

      const storage = withTracing(driver.make(redis));
      let parent!: Span;
      const traced = await startSpan({ name: 'request' }, (span) => {
        parent = span;
        return exercise(storage);
      });
      expect(traced).toEqual(plain);
      const spans = storageSpans(recorder);
      expect(spans.map((s) => [s.attributes!['db.operation.name'], s.attributes!['sentry.op'], s.attributes!['cache.key'], s.attributes!['cache.hit']])).toEqual(EXPECTED_CALLS);
      for (const span of spans) {
        expect(span.parent_span_id).toBe(parent.spanContext().spanId);
        expect(span.attributes!['db.system.name']).toBe(driver.system);
        expect(span.status).toBe('ok');
      }
      expect(spans[0]!.name).toBe('setItem');
      await storage.clear();
      if ('dispose' in storage && typeof storage.dispose === 'function') await storage.dispose();
    });
  });

  it('getMeta publishes on unstorage.getItem: its span is named getMeta; a mount names its collection', async () => {
    const storage = withTracing(createStorage<any>());
    storage.mount('sessions', memoryDriver());
    await startSpan({ name: 'request' }, async () => {
      await storage.setItem('sessions:a', 'x');
      await storage.getMeta('sessions:a');
    });
    const spans = storageSpans(recorder);
    expect(spans.map((s) => [s.name, s.attributes!['db.operation.name'], s.attributes!['db.collection.name'], s.attributes!['sentry.op']])).toEqual([
      ['setItem sessions', 'setItem', 'sessions', 'cache.put'],
      ['getMeta sessions', 'getMeta', 'sessions', 'cache.get'],
    ]);
  });

  it('a failing driver call: the span fails, the caller gets the same rejection, nothing is captured', async () => {
    const storage = withTracing(
      createStorage({ driver: { name: 'broken', getItem: () => Promise.reject(new Error('disk gone')), hasItem: () => false, getKeys: () => [] } as never }),
    );
    const error = await startSpan({ name: 'request' }, () => storage.getItem('k').catch((e: Error) => e));
    expect((error as Error).message).toBe('disk gone');
    const [span] = storageSpans(recorder);
    expect(span!.status).toBe('error');
    expect(span!.attributes!['cache.hit']).toBeUndefined();
    expect(span!.attributes!['db.system.name']).toBe('broken');
    expect(recorder.captures).toHaveLength(0);
  });

  it('outside any span, and with storage: false: no storage spans', async () => {
    const storage = withTracing(createStorage<any>());
    await storage.setItem('a', 1);
    expect(storageSpans(recorder)).toHaveLength(0);
    instrumentation.replace(() => instrumentNitro({ storage: false }));
    await startSpan({ name: 'request' }, () => storage.getItem('a'));
    expect(storageSpans(recorder)).toHaveLength(0);
    expect(() => instrumentNitro({ storage: 'yes' as never })).toThrow(/options\.storage/);
  });
});
