/**
 * The real workloads of SPEC §6, each with this package's integration and Sentry's own for the
 * same library: ioredis GET and node-redis GET against a local redis-server, an h3 request over
 * real HTTP (srvx + h3 with their tracing plugins), and the AI SDK's `generateText` with a mock
 * model. A workload that cannot run here (no redis-server, Node too old for the library) says why.
 */
import type { Integration } from '@sentry/core';

/** A workload's names, as in the results. */
export type WorkloadName = 'ioredis GET' | 'node-redis GET' | 'h3 request' | 'ai generateText';

/** One ready workload: an operation to repeat, and this package's integration to switch on. */
export interface ReadyWorkload {
  /** One operation (awaited). */
  op(): Promise<unknown>;
  /** Installs our integration; the returned handle removes it. */
  instrumentOurs(): { unbind(): void };
  close(): Promise<void>;
}

/** A workload definition. */
export interface WorkloadDef {
  name: WorkloadName;
  /** Operations per timed batch. */
  batch: number;
  /** Sentry's integration for the library, from `@sentry/node`. */
  sentryIntegration(sentryNode: Record<string, unknown>): Integration;
  /** Starts what the workload needs, or returns why it cannot run. */
  start(): Promise<ReadyWorkload | { skipped: string }>;
}

interface RedisServerLike {
  port: number;
  url: string;
  stop(): Promise<void>;
}

function integration(sentryNode: Record<string, unknown>, name: string): Integration {
  const make = sentryNode[name];
  if (typeof make !== 'function') throw new Error(`@sentry/node exports no ${name}`);
  return (make as () => Integration)();
}

async function redisServer(): Promise<RedisServerLike | string> {
  const { startRedisServer } = (await import('../test/helpers/redis-server')) as {
    startRedisServer: () => Promise<RedisServerLike | undefined>;
  };
  const server = await startRedisServer();
  return server ?? 'redis-server is not installed (apt-get install -y redis-server, or set REDIS_SERVER_BIN)';
}

async function ourRedis(): Promise<() => { unbind(): void }> {
  const { instrumentRedis } = (await import('../src/redis')) as { instrumentRedis: () => { unbind(): void } };
  return instrumentRedis;
}

interface RedisClientLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  close(): Promise<unknown>;
}

/** A GET against a fresh redis-server, through a client that `connect` makes. */
function redisGet(name: WorkloadName, connect: (server: RedisServerLike) => Promise<RedisClientLike>): WorkloadDef {
  return {
    name,
    batch: 200,
    sentryIntegration: (sentryNode) => integration(sentryNode, 'redisIntegration'),
    async start() {
      const server = await redisServer();
      if (typeof server === 'string') return { skipped: server };
      const instrumentOurs = await ourRedis();
      const client = await connect(server);
      await client.set('bench:key', 'value');
      return {
        op: () => client.get('bench:key'),
        instrumentOurs,
        close: async () => {
          await client.close();
          await server.stop();
        },
      };
    },
  };
}

const ioredisGet = redisGet('ioredis GET', async (server) => {
  const { Redis } = await import('ioredis');
  const client = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
  await client.connect();
  return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: async () => client.disconnect() };
});

const nodeRedisGet = redisGet('node-redis GET', async (server) => {
  const { createClient } = await import('redis');
  const client = createClient({ url: server.url });
  client.on('error', () => undefined);
  await client.connect();
  return { get: (k) => client.get(k), set: (k, v) => client.set(k, v), close: () => client.quit() };
});

const h3Request: WorkloadDef = {
  name: 'h3 request',
  batch: 40,
  sentryIntegration: (sentryNode) => integration(sentryNode, 'nitroIntegration'),
  async start() {
    const { startNitroApp } = await import('../test/helpers/nitro-app');
    const { instrumentNitro } = (await import('../src/nitro')) as { instrumentNitro: () => { unbind(): void } };
    const app = await startNitroApp();
    return {
      op: async () => {
        const { status } = await app.get('/users/42');
        if (status !== 200) throw new Error(`h3 request answered ${status}`);
      },
      instrumentOurs: instrumentNitro,
      close: () => app.close(),
    };
  },
};

const aiGenerateText: WorkloadDef = {
  name: 'ai generateText',
  batch: 100,
  sentryIntegration: (sentryNode) => integration(sentryNode, 'vercelAIIntegration'),
  async start() {
    const major = Number(process.versions.node.split('.')[0]);
    if (major < 22) return { skipped: `ai 7 needs Node 22+ (this is ${process.versions.node})` };
    const { generateText } = await import('ai');
    const { MockLanguageModelV4 } = await import('ai/test');
    const { instrumentAiSdk } = (await import('../src/ai')) as { instrumentAiSdk: () => { unbind(): void } };
    const model = new MockLanguageModelV4({
      provider: 'openai.chat',
      modelId: 'gpt-test',
      doGenerate: {
        content: [{ type: 'text', text: 'Hello' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 5, text: 5, reasoning: undefined },
        },
        warnings: [],
      },
    } as ConstructorParameters<typeof MockLanguageModelV4>[0]);
    return {
      op: async () => {
        const result = await generateText({ model, prompt: 'Hi' });
        if (result.text !== 'Hello') throw new Error(`generateText answered ${JSON.stringify(result.text)}`);
      },
      instrumentOurs: instrumentAiSdk,
      close: async () => undefined,
    };
  },
};

/** Every workload, in report order. */
export const WORKLOADS: readonly WorkloadDef[] = [ioredisGet, nodeRedisGet, h3Request, aiGenerateText];
