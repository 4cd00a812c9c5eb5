/**
 * The process bench/profile.ts profiles: one case of one trace kind (or one workload case) in a
 * loop for `--seconds`, under fresh sampled root spans, with the same setup as the benchmark.
 */
import { parseArgs } from 'node:util';
import { buildCases } from './cases';
import type { BindToSpan, CaseName, TraceKind } from './cases';
import { captureChannelWork, installChannelCapture } from './sentry-capture';
import { isStrategyName, setupStrategy } from './strategy-setup';
import { WORKLOADS } from './workload-defs';

async function profileCase(strategyName: string, name: CaseName, kind: TraceKind, seconds: number): Promise<void> {
  if (!isStrategyName(strategyName)) throw new TypeError(`unknown strategy ${strategyName}`);
  const strategy = await setupStrategy(strategyName);
  const ours = ((await import('../src/index')) as { bindTracingChannelToSpan: BindToSpan }).bindTracingChannelToSpan;
  const anchor = (await strategy.loadServerUtils()).bindTracingChannelToSpan as BindToSpan;
  const missing: string[] = [];
  const cases = buildCases({ asyncLocalStorage: strategy.asyncLocalStorage, ours, anchor, missing });
  const run = cases.runners.get(name)?.[kind];
  if (!run) throw new Error(`case ${name} is not available: ${missing.join('; ')}`);
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) await strategy.withRootSpan(async () => run(500));
  cases.dispose();
  await strategy.close();
}

async function profileWorkload(strategyName: string, workload: string, which: string, seconds: number): Promise<void> {
  if (!isStrategyName(strategyName)) throw new TypeError(`unknown strategy ${strategyName}`);
  const def = WORKLOADS.find((w) => w.name === workload);
  if (!def) throw new Error(`unknown workload ${workload}`);
  installChannelCapture();
  const { value: strategy, work } = await captureChannelWork(() => setupStrategy(strategyName, { integrations: (s) => [def.sentryIntegration(s)] }));
  const ready = await def.start();
  if ('skipped' in ready) throw new Error(ready.skipped);
  const handle = which === 'ours' ? ready.instrumentOurs() : undefined;
  if (which === 'sentry') work.enable();
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    await strategy.withRootSpan(async () => {
      for (let i = 0; i < 10; i++) await ready.op();
    });
  }
  handle?.unbind();
  work.disable();
  await ready.close();
  await strategy.close();
}

// bench/profile.ts passes its whole command line on; `--top` / `--focus` are its own (strict: false).
const TARGET_OPTIONS = {
  strategy: { type: 'string', default: 'scope-pair' },
  case: { type: 'string', default: 'courier' },
  kind: { type: 'string', default: 'traceSync' },
  workload: { type: 'string' },
  'workload-case': { type: 'string', default: 'ours' },
  seconds: { type: 'string', default: '5' },
} as const;

const { values } = parseArgs({ options: TARGET_OPTIONS, strict: false });
const arg = (key: keyof typeof TARGET_OPTIONS): string => String(values[key] ?? '');
const job = values.workload
  ? profileWorkload(arg('strategy'), arg('workload'), arg('workload-case'), Number(arg('seconds')))
  : profileCase(arg('strategy'), arg('case') as CaseName, arg('kind') as TraceKind, Number(arg('seconds')));
job.then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
