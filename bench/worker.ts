/**
 * One benchmark process for one async-context strategy (strategies are process-global).
 * `--mode cases` (default): measures every case of every trace kind interleaved, then heap growth.
 * `--mode workloads`: sets up Sentry's own integrations with their channel work recorded, then
 * measures the real workloads (none / ours / sentry). Writes the result as JSON to `--out`.
 * Started by bench/run.ts with --expose-gc.
 *
 *   node --expose-gc --import tsx bench/worker.ts --strategy scope-pair|otel|otel-mixed --out <file>
 *        [--mode cases|workloads] [--seconds 6] [--heap-calls 1000000] [--heap-cases ours]
 *        [--workload-rounds 20] [--workloads "ioredis GET,h3 request"]
 *        [--cases courier,anchor-courier] [--kinds traceSync]   (a subset, while working on the courier)
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Integration } from '@sentry/core';
import { CASE_NAMES, TRACE_KINDS, buildCases } from './cases';
import type { BindToSpan, CaseName } from './cases';
import { measureHeapGrowth } from './heap-growth';
import type { HeapMeasurement } from './heap-growth';
import { measureInterleaved } from './rounds';
import type { CaseMeasurement, Clock } from './rounds';
import { captureChannelWork, installChannelCapture } from './sentry-capture';
import { isStrategyName, setupStrategy } from './strategy-setup';
import type { StrategyName, StrategySetup } from './strategy-setup';
import { WORKLOADS } from './workload-defs';
import { measureWorkloads } from './workloads';
import type { WorkloadOutcome } from './workloads';

/** What a worker writes. */
export interface WorkerResult {
  node: string;
  strategy: StrategyName;
  mode: 'cases' | 'workloads';
  clock: Clock;
  rows: CaseMeasurement[];
  heap: Array<HeapMeasurement & { case: CaseName }>;
  workloads: WorkloadOutcome;
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

async function loadAnchor(strategy: StrategySetup, missing: string[]): Promise<BindToSpan | undefined> {
  try {
    const mod = await strategy.loadServerUtils();
    return mod.bindTracingChannelToSpan as unknown as BindToSpan;
  } catch (error) {
    missing.push(`anchor: @sentry/server-utils is not loadable (${message(error)})`);
    return undefined;
  }
}

type Values = Record<string, string | boolean | undefined>;

async function runCases(strategyName: StrategyName, values: Values, result: WorkerResult): Promise<void> {
  const strategy = await setupStrategy(strategyName);
  const [ours, anchor] = await Promise.all([loadOurs(result.missing), loadAnchor(strategy, result.missing)]);
  const cases = buildCases({ asyncLocalStorage: strategy.asyncLocalStorage, ours, anchor, missing: result.missing });
  const only = typeof values.cases === 'string' ? new Set(values.cases.split(',')) : undefined;
  const kinds = typeof values.kinds === 'string' ? TRACE_KINDS.filter((k) => String(values.kinds).split(',').includes(k)) : TRACE_KINDS;
  const measured = new Map([...cases.runners].filter(([name]) => !only || only.has(name)));
  const rows = await measureInterleaved(measured, kinds, {
    clock: result.clock,
    seconds: Number(values.seconds),
    minRounds: Number(values['min-rounds']),
    batchMs: Number(values['batch-ms']),
    warmupMs: Number(values['warmup-ms']),
    withRootSpan: strategy.withRootSpan,
  });
  rows.sort((a, b) => TRACE_KINDS.indexOf(a.kind) - TRACE_KINDS.indexOf(b.kind) || CASE_NAMES.indexOf(a.case) - CASE_NAMES.indexOf(b.case));
  result.rows = rows;

  const heapCalls = Number(values['heap-calls']);
  for (const name of String(values['heap-cases'] ?? '').split(',').filter(Boolean) as CaseName[]) {
    const runners = cases.runners.get(name);
    if (!runners || heapCalls <= 0) continue;
    result.heap.push({ case: name, ...(await measureHeapGrowth(runners, TRACE_KINDS, heapCalls, strategy.withRootSpan)) });
  }
  cases.dispose();
  await strategy.close();
}

async function runWorkloads(strategyName: StrategyName, values: Values, result: WorkerResult): Promise<void> {
  installChannelCapture(); // before @sentry/node loads
  const sentryIntegrations = (sentryNode: Record<string, unknown>): Integration[] => {
    const byName = new Map<string, Integration>();
    for (const def of WORKLOADS) {
      try {
        const integration = def.sentryIntegration(sentryNode);
        if (!byName.has(integration.name)) byName.set(integration.name, integration);
      } catch (error) {
        result.missing.push(`${def.name} sentry: ${message(error)}`);
      }
    }
    return [...byName.values()];
  };
  const { value: strategy, work } = await captureChannelWork(() => setupStrategy(strategyName, { integrations: sentryIntegrations }));
  if (work.steps === 0) result.missing.push("sentry: Sentry's integrations made no channel subscriptions");
  const only = typeof values.workloads === 'string' ? values.workloads.split(',').map((s) => s.trim()) : undefined;
  result.workloads = await measureWorkloads({
    rounds: Number(values['workload-rounds']),
    only,
    sentry: work.steps > 0 ? work : undefined,
    withRootSpan: strategy.withRootSpan,
  });
  await strategy.close();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      strategy: { type: 'string' },
      out: { type: 'string' },
      mode: { type: 'string', default: 'cases' },
      seconds: { type: 'string', default: '6' },
      clock: { type: 'string', default: 'cpu' },
      'batch-ms': { type: 'string', default: '2' },
      'warmup-ms': { type: 'string', default: '60' },
      'min-rounds': { type: 'string', default: '15' },
      'heap-calls': { type: 'string', default: '1000000' },
      'heap-cases': { type: 'string', default: 'ours' },
      'workload-rounds': { type: 'string', default: '20' },
      workloads: { type: 'string' },
      cases: { type: 'string' },
      kinds: { type: 'string' },
    },
  });
  const strategyName = values.strategy;
  if (!isStrategyName(strategyName)) throw new TypeError('--strategy must be scope-pair, otel or otel-mixed');
  if (!values.out) throw new TypeError('--out <file> is required');
  const clock = values.clock as Clock;
  if (clock !== 'cpu' && clock !== 'wall') throw new TypeError('--clock must be cpu or wall');
  const mode = values.mode;
  if (mode !== 'cases' && mode !== 'workloads') throw new TypeError('--mode must be cases or workloads');
  const started = process.hrtime.bigint();
  const result: WorkerResult = {
    node: process.versions.node,
    strategy: strategyName,
    mode,
    clock,
    rows: [],
    heap: [],
    workloads: { rows: [], skipped: [] },
    missing: [],
    seconds: 0,
  };
  if (mode === 'cases') await runCases(strategyName, values, result);
  else await runWorkloads(strategyName, values, result);
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench worker (${process.argv.join(' ')}):`, error);
    process.exit(1);
  },
);
