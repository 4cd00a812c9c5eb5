/**
 * Load test (`npm run test:soak`): 50 concurrent traced requests through ioredis and node-redis
 * against a real redis-server, `instrumentRedis()` on and off (fixtures/redis-load.ts).
 * LOAD_SECONDS sets the seconds per mode (default 20; CI may use less).
 */
import { describe, expect, it } from 'vitest';
import { skipWithoutRedisServer } from '../helpers/redis-server';
import { fileURLToPath } from 'node:url';
import { runFixture } from '../helpers/spawn-fixture';

interface ModeTotals {
  requests: number;
  seconds: number;
  redisSpans: number;
  incomplete: number;
  perSecond: number;
}

interface LoadResult {
  skipped?: string;
  node: string;
  seconds: number;
  rounds: number;
  concurrency: number;
  on: ModeTotals & { expectedRedisSpans: number };
  off: ModeTotals;
  manual: ModeTotals;
  ratioOnOff: number;
  ratioOnManual: number;
  misParented: number;
  orphaned: number;
  misParentedExamples: string[];
  wrongValues: number;
  liveRequestsLeft: number;
  uncaught: string[];
}

const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);

describe.skipIf(skipWithoutRedisServer('redis load test'))('redis load', () => {
  it(`tracePromise ok ×50 concurrent for ${SECONDS} s per mode through ioredis and node-redis: zero lost or mis-parented spans; throughput on/off reported`, async () => {
    const run = await runFixture<LoadResult>(fileURLToPath(new URL('./fixtures/redis-load.ts', import.meta.url)), { nodeArgs: [], env: { LOAD_SECONDS: String(SECONDS) } });
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    const r = run.result!;
    expect(r, run.stderr).toBeDefined();
    expect(r.skipped).toBeUndefined();
    console.log(
      [
        `[load] node ${r.node}, ${r.concurrency} concurrent requests (root span + SET/GET through ioredis and node-redis), ${r.rounds} rounds of on/off/manual`,
        `[load] instrumentRedis on:  ${r.on.perSecond.toFixed(0)} requests/s (${r.on.requests} requests, ${r.on.redisSpans} redis spans)`,
        `[load] instrumentRedis off: ${r.off.perSecond.toFixed(0)} requests/s (${r.off.requests} requests, ${r.off.redisSpans} redis spans)`,
        `[load] same spans by hand:  ${r.manual.perSecond.toFixed(0)} requests/s (${r.manual.requests} requests)`,
        `[load] throughput on/off ${r.ratioOnOff.toFixed(2)}, on/by-hand ${r.ratioOnManual.toFixed(2)}; lost ${r.on.expectedRedisSpans - r.on.redisSpans + r.orphaned}, mis-parented ${r.misParented}`,
      ].join('\n'),
    );
    expect(r.uncaught).toEqual([]);
    expect(r.wrongValues).toBe(0);
    expect(r.misParentedExamples).toEqual([]);
    expect(r.misParented).toBe(0);
    expect(r.orphaned).toBe(0);
    expect(r.on.requests).toBeGreaterThan(0);
    expect(r.on.redisSpans).toBe(r.on.expectedRedisSpans);
    expect(r.on.incomplete).toBe(0);
    expect(r.off.redisSpans).toBe(0);
    expect(r.off.incomplete).toBe(0);
    expect(r.liveRequestsLeft).toBe(0);
  });
});
