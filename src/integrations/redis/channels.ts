/** The tracing channels node-redis and ioredis (v6) publish, one table for both clients. */
import type { RedisClientName } from './options';

/** The tracing channels each client publishes (node-redis and ioredis v6). */
export const REDIS_TRACING_CHANNELS: Readonly<Record<RedisClientName, { command: string; batch: string; connect: string }>> = {
  redis: { command: 'node-redis:command', batch: 'node-redis:batch', connect: 'node-redis:connect' },
  ioredis: { command: 'ioredis:command', batch: 'ioredis:batch', connect: 'ioredis:connect' },
};
