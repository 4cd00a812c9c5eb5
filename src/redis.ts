/**
 * `tracing-channel-span/redis`: spans for node-redis (`redis` v6) and ioredis (v6) commands,
 * batches and connects, from the tracing channels both clients publish.
 */
export { instrumentRedis } from './integrations/redis/instrument';
export { REDIS_TRACING_CHANNELS } from './integrations/redis/channels';
export type { RedisInstrumentation } from './integrations/redis/instrument';
export type {
  RedisClientName,
  RedisConnectSpans,
  RedisInstrumentationOptions,
  ResolvedRedisOptions,
} from './integrations/redis/options';
