/**
 * checkTracingChannel against the real libraries this package integrates with: ioredis and
 * node-redis against a real redis-server, h3 + srvx over real HTTP, and the AI SDK with its mock
 * models. Each test pins what the checker finds (rule by rule), so a library release that
 * changes how it publishes shows up here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { checkTracingChannel, type TracingChannelCheck } from '../../../src/testing';
import { summary } from '../../helpers/checker-summary';
import { skipWithoutRedisServer, startRedisServer, type RedisServer } from '../../helpers/redis-server';
import { startNitroApp, type NitroApp } from '../../helpers/nitro-app';

const nodeMajor = Number(process.versions.node.split('.')[0]);
const aiNeedsNode22 = nodeMajor < 22;
if (aiNeedsNode22) console.warn(`[skip] checkTracingChannel vs the AI SDK: ai 7 needs Node >= 22, this is ${process.version}`);

describe.skipIf(skipWithoutRedisServer('checkTracingChannel vs redis clients'))('checkTracingChannel vs redis clients', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = (await startRedisServer())!;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('ioredis: commands, a failing command, a pipeline, MULTI and connect', async () => {
    let client: Redis | undefined;
    const connect = await checkTracingChannel('ioredis:connect', async () => {
      client = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
      await client.connect();
    });
    const redis = client!;
    try {
      const command = await checkTracingChannel('ioredis:command', async () => {
        await redis.set('chk:a', '1');
        await redis.get('chk:a');
        await redis.lpush('chk:a', 'x').catch(() => undefined); // WRONGTYPE
        await redis.pipeline().set('chk:p', '1').incr('chk:p').exec();
      });
      const batch = await checkTracingChannel('ioredis:batch', () => redis.multi().set('chk:m', '1').get('chk:m').exec());
      const results = [summary('ioredis:connect', connect), summary('ioredis:command', command), summary('ioredis:batch', batch)];
      // SET, GET, the failing LPUSH, and the pipeline's two commands (a pipeline publishes its commands one by one)
      expect(results).toEqual([
        { channel: 'ioredis:connect', calls: 1, rules: {} },
        { channel: 'ioredis:command', calls: 5, rules: {} },
        { channel: 'ioredis:batch', calls: 1, rules: {} },
      ]);
    } finally {
      redis.disconnect();
    }
  });

  it('node-redis: commands, a failing command, a pipeline, MULTI and connect', async () => {
    const client = createClient({ url: server.url });
    const connect = await checkTracingChannel('node-redis:connect', () => client.connect());
    try {
      const command = await checkTracingChannel('node-redis:command', async () => {
        await client.set('chk:a', '1');
        await client.get('chk:a');
        await client.lPush('chk:a', 'x').catch(() => undefined); // WRONGTYPE
      });
      const batch = await checkTracingChannel('node-redis:batch', async () => {
        await client.multi().set('chk:m', '1').get('chk:m').exec();
        await client.multi().set('chk:p', '1').incr('chk:p').execAsPipeline();
      });
      const results = [summary('node-redis:connect', connect), summary('node-redis:command', command), summary('node-redis:batch', batch)];
      expect(results).toEqual([
        { channel: 'node-redis:connect', calls: 1, rules: {} },
        { channel: 'node-redis:command', calls: 3, rules: {} },
        { channel: 'node-redis:batch', calls: 2, rules: {} },
      ]);
    } finally {
      await client.quit();
    }
  });
});

describe('checkTracingChannel vs h3 + srvx over HTTP', () => {
  let app: NitroApp;
  beforeAll(async () => {
    app = await startNitroApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('srvx.request, srvx.middleware and h3.request on ok, 500 and 418 responses', async () => {
    const requests = async (): Promise<void> => {
      expect((await app.get('/users/1')).status).toBe(200);
      expect((await app.get('/slow')).status).toBe(200);
      expect((await app.get('/boom')).status).toBe(500);
      expect((await app.get('/teapot')).status).toBe(418);
    };
    let middleware: TracingChannelCheck | undefined;
    let h3: TracingChannelCheck | undefined;
    const request = await checkTracingChannel('srvx.request', async () => {
      middleware = await checkTracingChannel('srvx.middleware', async () => {
        h3 = await checkTracingChannel('h3.request', requests);
      });
    });
    const results = [summary('srvx.request', request), summary('srvx.middleware', middleware!), summary('h3.request', h3!)];
    // h3 publishes one middleware and one route call per request
    expect(results).toEqual([
      { channel: 'srvx.request', calls: 4, rules: {} },
      { channel: 'srvx.middleware', calls: 4, rules: {} },
      { channel: 'h3.request', calls: 8, rules: {} },
    ]);
  });
});

describe.skipIf(aiNeedsNode22)('checkTracingChannel vs the AI SDK (ai 7, mock models)', () => {
  it('ai:telemetry for generateText with a tool, streamText, a failing model and embed', async () => {
    const { embed, generateText, jsonSchema, stepCountIs, streamText, tool } = await import('ai');
    const { MockEmbeddingModelV4, MockLanguageModelV4, simulateReadableStream } = await import('ai/test');
    const usage = {
      inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 5, text: 5, reasoning: undefined },
    };
    const stop = { unified: 'stop' as const, raw: 'stop' };
    let calls = 0;
    const model = new MockLanguageModelV4({
      provider: 'mock',
      modelId: 'mock-1',
      doGenerate: async () =>
        ++calls === 1
          ? {
              content: [{ type: 'tool-call' as const, toolCallId: 'c1', toolName: 'weather', input: JSON.stringify({ city: 'Oslo' }) }],
              finishReason: { unified: 'tool-calls' as const, raw: 'tool_calls' },
              usage,
              warnings: [],
            }
          : { content: [{ type: 'text' as const, text: 'Sunny' }], finishReason: stop, usage, warnings: [] },
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            { type: 'stream-start' as const, warnings: [] },
            { type: 'text-start' as const, id: 't' },
            { type: 'text-delta' as const, id: 't', delta: 'Hi' },
            { type: 'text-end' as const, id: 't' },
            { type: 'finish' as const, finishReason: stop, usage },
          ],
        }),
      }),
    });
    const failing = new MockLanguageModelV4({
      provider: 'mock',
      modelId: 'mock-fail',
      doGenerate: async () => {
        throw new Error('model down');
      },
    });
    const embedder = new MockEmbeddingModelV4({ provider: 'mock', modelId: 'embed-1', doEmbed: async () => ({ embeddings: [[1, 2]], warnings: [] }) });
    const weather = tool({ description: 'weather', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }), execute: async ({ city }) => `sunny in ${city}` });

    const check = await checkTracingChannel('ai:telemetry', async () => {
      const generated = await generateText({ model, prompt: 'weather?', tools: { weather }, stopWhen: stepCountIs(3) });
      expect(generated.text).toBe('Sunny');
      const streamed = streamText({ model, prompt: 'hi' });
      expect(await streamed.text).toBe('Hi');
      await expect(generateText({ model: failing, prompt: 'x', maxRetries: 0 })).rejects.toThrow('model down');
      expect((await embed({ model: embedder, value: 'v' })).embedding).toEqual([1, 2]);
    });
    const result = summary('ai:telemetry', check);
    // streamText's long-lived spans (the streamText call and its model call) publish
    // start → end → asyncEnd with no asyncStart, an order Node never produces.
    expect(result).toEqual({ channel: 'ai:telemetry', calls: 13, rules: { order: 2 } });
    for (const problem of check.problems) expect(problem.message).toMatch(/\[start → end → asyncEnd\]: asyncEnd without asyncStart/);
  });
});
