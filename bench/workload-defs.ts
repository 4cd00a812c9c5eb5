/**
 * The real workloads of SPEC §6, each with this package's integration and Sentry's own for the
 * same library: ioredis GET and node-redis GET against a local redis-server, an h3 request over
 * real HTTP (srvx + h3 with their tracing plugins), the AI SDK's `generateText` with a mock
 * model, a graphql 17 query against a small schema, and a mysql2 primary-key SELECT against a local
 * MariaDB. A workload that cannot run here (no redis-server or MariaDB, Node too old for the
 * library) says why.
 */
import type { Integration } from '@sentry/core';

/** A workload's names, as in the results. */
export type WorkloadName = 'ioredis GET' | 'node-redis GET' | 'h3 request' | 'ai generateText' | 'graphql query' | 'mysql2 query';

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

/** A workload whose Sentry counterpart is `@sentry/node`'s `sentryName` (made with no options). */
function workload(name: WorkloadName, batch: number, sentryName: string, start: WorkloadDef['start']): WorkloadDef {
  return { name, batch, sentryIntegration: (sentryNode) => integration(sentryNode, sentryName), start };
}

/** Why `library` cannot run on this Node (older than 22), or `undefined`. */
function needsNode22(library: string): { skipped: string } | undefined {
  const major = Number(process.versions.node.split('.')[0]);
  return major < 22 ? { skipped: `${library} needs Node 22+ (this is ${process.versions.node})` } : undefined;
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

const h3Request = workload('h3 request', 40, 'nitroIntegration', async () => {
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
});

const aiGenerateText = workload('ai generateText', 100, 'vercelAIIntegration', async () => {
  const tooOld = needsNode22('ai 7');
  if (tooOld) return tooOld;
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
});

const graphqlQuery = workload('graphql query', 100, 'graphqlIntegration', async () => {
  const tooOld = needsNode22('graphql 17');
  if (tooOld) return tooOld;
  const g = await import('graphql');
  const { instrumentGraphql } = (await import('../src/graphql')) as { instrumentGraphql: () => { unbind(): void } };
  const users = new Map([['1', { id: '1', name: 'ada' }], ['2', { id: '2', name: 'grace' }]]);
  const User = new g.GraphQLObjectType({ name: 'User', fields: { id: { type: g.GraphQLID }, name: { type: g.GraphQLString } } });
  const schema = new g.GraphQLSchema({
    query: new g.GraphQLObjectType({
      name: 'Query',
      fields: {
        hello: { type: g.GraphQLString, resolve: () => 'world' },
        user: { type: User, args: { id: { type: g.GraphQLID } }, resolve: async (_src, args: { id: string }) => users.get(args.id) },
      },
    }),
  });
  const source = 'query GetUser { hello user(id: "1") { id name } }';
  return {
    op: async () => {
      const result = await g.graphql({ schema, source });
      const user = (result.data as { user?: { name?: string } } | undefined)?.user;
      if (result.errors || user?.name !== 'ada') throw new Error(`graphql answered ${JSON.stringify(result)}`);
    },
    instrumentOurs: instrumentGraphql,
    close: async () => undefined,
  };
});

const mysql2Query = workload('mysql2 query', 100, 'mysql2Integration', async () => {
  const { startMariadbServer } = await import('../test/helpers/mariadb-server');
  const server = await startMariadbServer();
  if (!server) return { skipped: 'MariaDB is not installed (apt-get install -y mariadb-server, or set MARIADBD_BIN and MARIADB_INSTALL_DB_BIN)' };
  const { instrumentMysql2 } = (await import('../src/mysql2')) as { instrumentMysql2: () => { unbind(): void } };
  const mysql = (await import('mysql2')).default;
  const conn = mysql.createConnection({ host: server.host, port: server.port, user: server.user, database: server.database }).promise();
  try {
    await conn.query('CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(64))');
    await conn.query("INSERT INTO users VALUES (1, 'ada'), (2, 'grace')");
  } catch (error) {
    await conn.end().catch(() => undefined);
    await server.stop();
    throw error;
  }
  return {
    op: async () => {
      const [rows] = (await conn.query('SELECT name FROM users WHERE id = 1')) as unknown as [Array<{ name: string }>];
      if (rows[0]?.name !== 'ada') throw new Error(`mysql2 answered ${JSON.stringify(rows)}`);
    },
    instrumentOurs: instrumentMysql2,
    close: async () => {
      await conn.end().catch(() => undefined);
      await server.stop();
    },
  };
});

/** Every workload, in report order. */
export const WORKLOADS: readonly WorkloadDef[] = [ioredisGet, nodeRedisGet, h3Request, aiGenerateText, graphqlQuery, mysql2Query];
