/**
 * checkTracingChannel against the libraries of the graphql / fastify / pino / Nitro storage
 * integrations: graphql 17, fastify 5 over real HTTP, pino 10 and unstorage 2 (memory driver,
 * `withTracing`). Each test pins what the checker finds, rule by rule and call by call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createStorage, type StorageValue } from 'unstorage';
import { withTracing } from 'unstorage/tracing';
import memoryDriver from 'unstorage/drivers/memory';
import { checkTracingChannel } from '../../../src/testing';
import { checkChannels, summaries, summary } from '../../helpers/checker-summary';
import { call, startFastifyApp } from '../fastify/fastify-app';
import { makeSchema } from '../graphql/schema';

const nodeMajor = Number(process.versions.node.split('.')[0]);
const graphqlNeedsNode22 = nodeMajor < 22;
if (graphqlNeedsNode22) console.warn(`[skip] checkTracingChannel vs graphql: graphql 17 needs Node >= 22, this is ${process.version}`);

describe.skipIf(graphqlNeedsNode22)('checkTracingChannel vs graphql 17', () => {
  it('graphql:parse, :validate, :execute, :subscribe and :resolve on a query, a failing field, a mutation and a subscription', async () => {
    const g = await import('graphql');
    const schema = await makeSchema(g);
    const names = ['graphql:parse', 'graphql:validate', 'graphql:execute', 'graphql:subscribe', 'graphql:resolve'];
    const checks = await checkChannels(names, async () => {
      expect(JSON.parse(JSON.stringify(await g.graphql({ schema, source: '{ hello user(id: "7") { id name } }' })))).toEqual({
        data: { hello: 'world', user: { id: '7', name: 'user-7' } },
      });
      const failed = await g.graphql({ schema, source: '{ fail }' });
      expect(failed.errors?.[0]?.message).toBe('resolver broke');
      expect((await g.graphql({ schema, source: '{ hello' })).errors?.[0]?.message).toMatch(/Syntax Error/);
      expect((await g.graphql({ schema, source: 'mutation { setName(name: "ada") }' })).data).toEqual({ setName: 'ada' });
      const stream = (await g.subscribe({ schema, document: g.parse('subscription { ticks }') })) as AsyncIterable<{ data?: unknown }>;
      const ticks: unknown[] = [];
      for await (const event of stream) ticks.push(event.data);
      expect(JSON.parse(JSON.stringify(ticks))).toEqual([{ ticks: 1 }, { ticks: 2 }]);
    });
    // parse: 4 graphql() sources (one a syntax error) + the subscription document; validate and
    // execute: the 3 valid graphql() calls; resolve: hello, user (async) and its id and name
    // (default resolvers are traced too), fail (throws), setName and one call per subscription
    // event. graphql builds these events by hand (traceMixed), in orders Node's own methods produce.
    expect(summaries(checks)).toEqual([
      { channel: 'graphql:parse', calls: 5, rules: {} },
      { channel: 'graphql:validate', calls: 3, rules: {} },
      { channel: 'graphql:execute', calls: 3, rules: {} },
      { channel: 'graphql:subscribe', calls: 1, rules: {} },
      { channel: 'graphql:resolve', calls: 8, rules: {} },
    ]);
  });
});

describe('checkTracingChannel vs fastify 5 over HTTP', () => {
  let server: Awaited<ReturnType<typeof startFastifyApp>>;
  beforeAll(async () => {
    server = await startFastifyApp({ activeInHandler: new Map(), beforeLateReply: () => undefined });
  });
  afterAll(async () => {
    await server?.close();
  });

  // A sync handler (replying now, later, or hijacking) gets start → end with neither result nor
  // error: fastify sets neither, so subscribers need isComplete. Async handlers send asyncStart +
  // asyncEnd; throwing ones set error (error → end, or error → asyncStart → asyncEnd).
  const shapes: Array<{ path: string; status: number; rules: Record<string, number> }> = [
    { path: '/async/1', status: 200, rules: {} },
    { path: '/sync-now', status: 200, rules: { 'needs-is-complete': 1 } },
    { path: '/sync-later', status: 200, rules: { 'needs-is-complete': 1 } },
    { path: '/hijacked', status: 200, rules: { 'needs-is-complete': 1 } },
    { path: '/throw', status: 500, rules: {} },
    { path: '/reject', status: 500, rules: {} },
  ];
  for (const shape of shapes) {
    it(`tracing:fastify.request.handler for ${shape.path}`, async () => {
      const check = await checkTracingChannel('fastify.request.handler', async () => {
        expect((await call(server.url, shape.path)).status).toBe(shape.status);
      });
      expect(summary(`fastify.request.handler ${shape.path}`, check)).toEqual({ channel: `fastify.request.handler ${shape.path}`, calls: 1, rules: shape.rules });
      for (const problem of check.problems) expect(problem.message).toMatch(/^call #0 of "fastify\.request\.handler" \[start → end\]: end carried neither result nor error/);
    });
  }
});

describe('checkTracingChannel vs pino 10', () => {
  it('tracing:pino_asJson for info, a child logger, an error object and a formatted message', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = pino({ base: undefined }, sink);
    const check = await checkTracingChannel('pino_asJson', () => {
      logger.info('hello');
      logger.child({ module: 'db' }).warn({ rows: 2 }, 'slow');
      logger.error(new Error('bad'));
      logger.info('%s and %d', 'words', 3);
    });
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['hello', 'slow', 'bad', 'words and 3']);
    expect(summary('pino_asJson', check)).toEqual({ channel: 'pino_asJson', calls: 4, rules: {} });
  });
});

describe('checkTracingChannel vs unstorage 2 (memory driver, withTracing)', () => {
  it('unstorage.<operation> for every traced operation', async () => {
    const storage = withTracing(createStorage<StorageValue>({ driver: memoryDriver() }));
    const ops = ['getItem', 'setItem', 'removeItem', 'getKeys', 'clear', 'hasItem', 'setItems', 'getItems', 'getItemRaw', 'setItemRaw'];
    const checks = await checkChannels(ops.map((op) => `unstorage.${op}`), async () => {
      await storage.setItem('a:1', { n: 1 });
      expect(await storage.getItem('a:1')).toEqual({ n: 1 });
      expect(await storage.getMeta('a:1')).toBeTypeOf('object');
      expect(await storage.hasItem('a:1')).toBe(true);
      await storage.setItems([{ key: 'a:2', value: 2 }]);
      expect(await storage.getItems(['a:1', 'a:2'])).toHaveLength(2);
      await storage.setItemRaw('a:3', 'raw');
      expect(await storage.getItemRaw('a:3')).toBe('raw');
      expect((await storage.getKeys('a')).sort()).toEqual(['a:1', 'a:2', 'a:3']);
      await storage.removeItem('a:1');
      await storage.clear();
      expect(await storage.getKeys()).toEqual([]);
    });
    // getMeta publishes on unstorage.getItem; getKeys is called twice
    expect(summaries(checks)).toEqual(
      ops.map((op) => ({ channel: `unstorage.${op}`, calls: op === 'getItem' || op === 'getKeys' ? 2 : 1, rules: {} })),
    );
  });
});
