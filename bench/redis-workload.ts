/**
 * A real workload: sequential ioredis GETs against a local `redis-server` (started through the
 * test helper): uninstrumented, with a bare span around each GET (no channel), and with
 * `instrumentRedis()`, interleaved by round. Records wall time (latency) and the process's CPU
 * time per GET. Skips with a reason when redis-server, the helper or the integration is missing.
 */
import { startInactiveSpan } from '@sentry/core';
import { quantile } from './rounds';

/** The workload cases. */
export type WorkloadCase = 'uninstrumented' | 'span-floor' | 'instrumented';

/** One workload row. `medianNs` is wall time per GET, `cpuMedianNs` the process's CPU time per GET. */
export interface WorkloadMeasurement {
  workload: string;
  case: WorkloadCase;
  medianNs: number;
  cpuMedianNs: number;
  callsPerBatch: number;
  rounds: number;
}

/** Either the rows or why there are none. */
export type WorkloadOutcome = { rows: WorkloadMeasurement[] } | { skipped: string };

interface RedisServerLike {
  port: number;
  stop(): Promise<void>;
}

interface DisposableHandle {
  unbind(): void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** Measures ioredis GET latency with and without `instrumentRedis()`, under a root span per round. */
export async function measureRedisWorkload(options: {
  rounds: number;
  callsPerBatch: number;
  withRootSpan<T>(fn: () => Promise<T>): Promise<T>;
}): Promise<WorkloadOutcome> {
  let startRedisServer: (() => Promise<RedisServerLike | undefined>) | undefined;
  let instrumentRedis: (() => DisposableHandle) | undefined;
  try {
    ({ startRedisServer } = (await import('../test/helpers/redis-server')) as { startRedisServer?: () => Promise<RedisServerLike | undefined> });
  } catch (error) {
    return { skipped: `test/helpers/redis-server.ts is not loadable (${message(error)})` };
  }
  try {
    ({ instrumentRedis } = (await import('../src/redis')) as { instrumentRedis?: () => DisposableHandle });
  } catch (error) {
    return { skipped: `src/redis.ts is not loadable (${message(error)})` };
  }
  if (typeof startRedisServer !== 'function') return { skipped: 'test/helpers/redis-server.ts exports no startRedisServer' };
  if (typeof instrumentRedis !== 'function') return { skipped: 'src/redis.ts exports no instrumentRedis' };

  let server: RedisServerLike | undefined;
  try {
    server = await startRedisServer();
  } catch (error) {
    return { skipped: `redis-server could not be started (${message(error)})` };
  }
  if (!server) return { skipped: 'redis-server is not installed (apt-get install -y redis-server, or set REDIS_SERVER_BIN)' };
  const { default: Redis } = await import('ioredis');
  const client = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true, enableOfflineQueue: true });
  try {
    await client.connect();
    await client.set('bench:key', 'value');
    const n = options.callsPerBatch;
    type Sample = { wall: number; cpu: number };
    const timed = async (get: () => Promise<unknown>): Promise<Sample> => {
      const cpu0 = process.cpuUsage();
      const wall0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await get();
      const cpu = process.cpuUsage(cpu0);
      return { wall: Number(process.hrtime.bigint() - wall0) / n, cpu: ((cpu.user + cpu.system) * 1000) / n };
    };
    const plainGet = () => client.get('bench:key');
    const spanGet = async () => {
      const span = startInactiveSpan({ name: 'GET', op: 'db.redis' });
      await client.get('bench:key');
      span.end();
    };
    const runners: Record<WorkloadCase, () => Promise<Sample>> = {
      uninstrumented: () => timed(plainGet),
      'span-floor': () => timed(spanGet),
      instrumented: async () => {
        const handle = instrumentRedis!();
        try {
          return await timed(plainGet);
        } finally {
          handle.unbind();
        }
      },
    };
    const names = Object.keys(runners) as WorkloadCase[];
    const samples = new Map<WorkloadCase, Sample[]>(names.map((name) => [name, []]));
    // Warm-up every path.
    await options.withRootSpan(async () => {
      for (const name of names) await runners[name]();
    });
    for (let round = 0; round < options.rounds; round++) {
      await options.withRootSpan(async () => {
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + round) % names.length]!;
          samples.get(name)!.push(await runners[name]());
        }
      });
    }
    const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
    return {
      rows: names.map((name) => ({
        workload: 'ioredis GET',
        case: name,
        medianNs: median(samples.get(name)!.map((s) => s.wall)),
        cpuMedianNs: median(samples.get(name)!.map((s) => s.cpu)),
        callsPerBatch: n,
        rounds: options.rounds,
      })),
    };
  } catch (error) {
    return { skipped: `ioredis workload failed (${message(error)})` };
  } finally {
    client.disconnect();
    await server.stop();
  }
}
