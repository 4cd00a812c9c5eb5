/**
 * Redis for the demo: a throwaway `redis-server` on a free loopback port (started with the same
 * helper the tests use) and one client of each kind connected to it. Without the binary, or when
 * it will not start, the demo says so in one line and runs without redis.
 *
 * `DEMO_REDIS_SERVER_BIN` names the binary to use; point it at a path that does not exist
 * (`DEMO_REDIS_SERVER_BIN=/nonexistent`) to see the demo on a machine without redis.
 */
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../test/helpers/redis-server';

/** A node-redis client as the demo creates it. */
export type NodeRedisClient = ReturnType<typeof createNodeRedisClient>;

/** Both clients, connected to the demo's own `redis-server`. */
export interface DemoRedisClients {
  nodeRedis: NodeRedisClient;
  ioredis: Redis;
}

/** Redis as the demo found it. */
export interface DemoRedis {
  /** One line for the output: where redis-server runs, or why it does not. */
  status: string;
  /** The clients, or `undefined` when there is no redis. */
  clients?: DemoRedisClients;
  /** Quits both clients and stops the server (idempotent). */
  close(): Promise<void>;
}

const NOT_INSTALLED =
  'redis: redis-server not installed (apt-get install -y redis-server); the routes run without redis';

/**
 * Starts `redis-server` and connects node-redis and ioredis to it. Never rejects: a missing or
 * failing server gives a `DemoRedis` without clients. Connections are opened here, outside any
 * request, so they make no spans (`instrumentRedis()` traces a connect only inside a request).
 */
export async function startDemoRedis(): Promise<DemoRedis> {
  // The helper reads REDIS_SERVER_BIN; the demo's own variable takes precedence.
  const binary = process.env.DEMO_REDIS_SERVER_BIN;
  if (binary) process.env.REDIS_SERVER_BIN = binary;

  let server: RedisServer | undefined;
  try {
    server = await startRedisServer();
  } catch (error) {
    return withoutRedis(`redis: redis-server did not start (${firstLine(error)}); the routes run without redis`);
  }
  if (!server) return withoutRedis(NOT_INSTALLED);

  const nodeRedis = createNodeRedisClient(`${server.url}/0`);
  nodeRedis.on('error', () => undefined);
  const ioredis = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  ioredis.on('error', () => undefined);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.allSettled([nodeRedis.isOpen ? nodeRedis.close() : undefined, ioredis.quit()]);
    await server.stop();
  };
  try {
    await Promise.all([nodeRedis.connect(), ioredis.connect()]);
  } catch (error) {
    nodeRedis.destroy();
    ioredis.disconnect();
    await server.stop();
    return withoutRedis(`redis: could not connect to redis-server (${firstLine(error)}); the routes run without redis`);
  }
  return {
    status: `redis: redis-server started on 127.0.0.1:${server.port}, node-redis and ioredis connected`,
    clients: { nodeRedis, ioredis },
    close,
  };
}

function createNodeRedisClient(url: string) {
  return createClient({ url });
}

function withoutRedis(status: string): DemoRedis {
  return { status, close: async () => undefined };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}
