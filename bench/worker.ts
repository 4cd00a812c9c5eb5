/**
 * One benchmark process for one async-context strategy (strategies are process-global):
 * measures every case of every trace kind interleaved, then heap growth, then the ioredis
 * workload, and writes the result as JSON to `--out`. Started by bench/run.ts with --expose-gc.
 *
 *   node --expose-gc --import tsx bench/worker.ts --strategy scope-pair|otel --out <file>
 *        [--seconds 12] [--heap-calls 1000000] [--heap-cases ours] [--redis-rounds 30]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CASE_NAMES, TRACE_KINDS, buildCases } from './cases';
import type { BindToSpan, CaseName } from './cases';
import { measureHeapGrowth } from './heap-growth';
import type { HeapMeasurement } from './heap-growth';
import { measureRedisWorkload } from './redis-workload';
import type { WorkloadOutcome } from './redis-workload';
import { measureInterleaved } from './rounds';
import type { CaseMeasurement, Clock } from './rounds';
import { setupStrategy } from './strategy-setup';
import type { StrategyName } from './strategy-setup';

/** What a worker writes. */
export interface WorkerResult {
  node: string;
  strategy: StrategyName;
  clock: Clock;
  rows: CaseMeasurement[];
  heap: Array<HeapMeasurement & { case: CaseName }>;
  workload: WorkloadOutcome;
  /** Cases that could not be measured, with the reason. */
  missing: string[];
  seconds: number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

async function loadOurs(missing: string[]): Promise<BindToSpan | undefined> {
  try {
    const mod = (await import('../src/index')) as { bindTracingChannelToSpan?: BindToSpan };
    if (typeof mod.bindTracingChannelToSpan === 'function') return mod.bindTracingChannelToSpan;
    missing.push('ours, ours-skip: src/index.ts does not export bindTracingChannelToSpan yet');
  } catch (error) {
    missing.push(`ours, ours-skip: src/index.ts is not loadable (${message(error)})`);
  }
  return undefined;
}

async function loadAnchor(missing: string[]): Promise<BindToSpan | undefined> {
  try {
    const mod = await import('@sentry/server-utils');
    return mod.bindTracingChannelToSpan as unknown as BindToSpan;
  } catch (error) {
    missing.push(`anchor: @sentry/server-utils is not loadable (${message(error)})`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      strategy: { type: 'string' },
      out: { type: 'string' },
      seconds: { type: 'string', default: '12' },
      clock: { type: 'string', default: 'cpu' },
      'batch-ms': { type: 'string', default: '2' },
      'warmup-ms': { type: 'string', default: '150' },
      'min-rounds': { type: 'string', default: '15' },
      'heap-calls': { type: 'string', default: '1000000' },
      'heap-cases': { type: 'string', default: 'ours' },
      'redis-rounds': { type: 'string', default: '30' },
      'redis-batch': { type: 'string', default: '100' },
    },
  });
  const strategyName = values.strategy as StrategyName;
  if (strategyName !== 'scope-pair' && strategyName !== 'otel') throw new TypeError('--strategy must be scope-pair or otel');
  if (!values.out) throw new TypeError('--out <file> is required');
  const started = process.hrtime.bigint();
  const missing: string[] = [];

  const strategy = await setupStrategy(strategyName);
  const [ours, anchor] = await Promise.all([loadOurs(missing), loadAnchor(missing)]);
  const cases = buildCases({ asyncLocalStorage: strategy.asyncLocalStorage, ours, anchor });

  const clock = values.clock as Clock;
  if (clock !== 'cpu' && clock !== 'wall') throw new TypeError('--clock must be cpu or wall');
  const rows = await measureInterleaved(cases.runners, TRACE_KINDS, {
    clock,
    seconds: Number(values.seconds),
    minRounds: Number(values['min-rounds']),
    batchMs: Number(values['batch-ms']),
    warmupMs: Number(values['warmup-ms']),
    withRootSpan: strategy.withRootSpan,
  });
  rows.sort((a, b) => TRACE_KINDS.indexOf(a.kind) - TRACE_KINDS.indexOf(b.kind) || CASE_NAMES.indexOf(a.case) - CASE_NAMES.indexOf(b.case));

  const heap: WorkerResult['heap'] = [];
  const heapCalls = Number(values['heap-calls']);
  for (const name of (values['heap-cases'] ?? '').split(',').filter(Boolean) as CaseName[]) {
    const runners = cases.runners.get(name);
    if (!runners || heapCalls <= 0) continue;
    heap.push({ case: name, ...(await measureHeapGrowth(runners, TRACE_KINDS, heapCalls, strategy.withRootSpan)) });
  }
  cases.dispose();

  const redisRounds = Number(values['redis-rounds']);
  const workload: WorkloadOutcome =
    redisRounds > 0
      ? await measureRedisWorkload({ rounds: redisRounds, callsPerBatch: Number(values['redis-batch']), withRootSpan: strategy.withRootSpan })
      : { skipped: 'disabled (--redis-rounds 0)' };

  await strategy.close();
  const result: WorkerResult = {
    node: process.versions.node,
    strategy: strategyName,
    clock,
    rows,
    heap,
    workload,
    missing,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench worker (${process.argv.join(' ')}):`, error);
    process.exit(1);
  },
);
