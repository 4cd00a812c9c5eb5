/**
 * `npm run bench`: the lifecycle benchmark on the current Node.js. Runs one worker process per
 * async-context strategy (strategies are process-global) and run, one after the other, plus the
 * real workloads, and prints the Markdown report. `bench/matrix.ts` runs this under every
 * supported Node version with `--json-dir`.
 *
 *   node --import tsx bench/run.ts [--strategies scope-pair,otel,otel-mixed] [--runs 3] [--seconds 4]
 *        [--clock cpu|wall] [--heap-calls 500000] [--heap-strategy scope-pair]
 *        [--workload-strategies scope-pair,otel,otel-mixed] [--workload-runs 1] [--workload-rounds 20]
 *        [--json-dir <dir>] [--write]
 *
 * --json-dir: write this version's raw results to `<dir>/node-<version>.json` (for the matrix).
 * --write:    write bench/results/latest.{json,md,svg} from this version alone.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderMarkdown } from './markdown-report';
import { buildResults } from './results-model';
import type { NodeRun, Results } from './results-model';
import { renderSvg } from './svg-chart';
import { isStrategyName } from './strategy-setup';
import type { StrategyName } from './strategy-setup';
import type { WorkerResult } from './worker';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
/** Where `latest.*` go. */
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** The machine description written into results. */
export function describeMachine(): Results['machine'] {
  const list = cpus();
  return { platform: process.platform, arch: process.arch, cpus: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown', loadAverage: loadavg() };
}

/** The installed `@sentry/core` version (what every `@sentry/*` package here is pinned to). */
export function sentryVersions(): Results['versions'] {
  try {
    return { sentry: (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@sentry', 'core', 'package.json'), 'utf8')) as { version: string }).version };
  } catch {
    return { sentry: 'unknown' };
  }
}

/** Writes latest.json, latest.md and latest.svg. */
export function writeResults(results: Results, dir = RESULTS_DIR): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), renderMarkdown(results));
  writeFileSync(join(dir, 'latest.svg'), renderSvg(results));
}

function runWorker(strategy: StrategyName, args: string[], out: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(BENCH_DIR, 'worker.ts'), '--strategy', strategy, '--out', out, ...args],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr += chunk.toString();
    });
    child.on('error', (error) => done({ ok: false, reason: error.message }));
    child.on('close', (code, signal) => {
      if (code === 0) done({ ok: true });
      else done({ ok: false, reason: `worker exited with ${signal ?? `code ${code}`}: ${stderr.trim().split('\n').slice(-2).join(' ')}` });
    });
  });
}

function strategyList(value: string, option: string): StrategyName[] {
  const list = value.split(',').filter(Boolean);
  for (const name of list) if (!isStrategyName(name)) throw new TypeError(`${option}: unknown strategy ${name}`);
  return list as StrategyName[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      strategies: { type: 'string', default: 'scope-pair,otel,otel-mixed' },
      runs: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '4' },
      clock: { type: 'string', default: 'cpu' },
      'heap-calls': { type: 'string', default: '500000' },
      'heap-strategy': { type: 'string', default: 'scope-pair' },
      'workload-strategies': { type: 'string', default: 'scope-pair,otel,otel-mixed' },
      'workload-runs': { type: 'string', default: '1' },
      'workload-rounds': { type: 'string', default: '20' },
      'json-dir': { type: 'string' },
      write: { type: 'boolean', default: false },
    },
  });
  const strategies = strategyList(values.strategies, '--strategies');
  const workloadStrategies = strategyList(values['workload-strategies'], '--workload-strategies');
  const runs = Math.max(1, Number(values.runs));
  const workloadRuns = Math.max(0, Number(values['workload-runs']));
  const started = process.hrtime.bigint();
  const tmp = join(RESULTS_DIR, 'tmp');
  mkdirSync(tmp, { recursive: true });

  const result: NodeRun = { node: process.versions.node, workers: [], failures: [], seconds: 0 };
  const work = async (strategy: StrategyName, mode: 'cases' | 'workloads', run: number, args: string[]) => {
    const out = join(tmp, `worker-${process.versions.node}-${strategy}-${mode}-${run}-${process.pid}.json`);
    process.stderr.write(`bench: node ${process.versions.node} ${strategy} ${mode} run ${run}/${mode === 'cases' ? runs : workloadRuns} …\n`);
    const outcome = await runWorker(strategy, ['--mode', mode, '--clock', values.clock, ...args], out);
    if (outcome.ok) {
      result.workers.push({ ...(JSON.parse(readFileSync(out, 'utf8')) as WorkerResult), run });
      rmSync(out, { force: true });
    } else {
      result.failures.push({ strategy, mode, run, reason: outcome.reason });
    }
  };
  for (let run = 1; run <= runs; run++) {
    for (const strategy of strategies) {
      const heapCalls = run === 1 && strategy === values['heap-strategy'] ? values['heap-calls'] : '0';
      await work(strategy, 'cases', run, ['--seconds', values.seconds, '--heap-calls', heapCalls]);
    }
    if (run > workloadRuns) continue;
    for (const strategy of workloadStrategies) await work(strategy, 'workloads', run, ['--workload-rounds', values['workload-rounds']]);
  }
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(`bench: node ${result.node} done in ${result.seconds.toFixed(0)} s\n`);

  if (values['json-dir']) {
    mkdirSync(values['json-dir'], { recursive: true });
    writeFileSync(join(values['json-dir'], `node-${result.node}.json`), `${JSON.stringify(result, null, 2)}\n`);
  } else {
    const results = buildResults([result], describeMachine(), sentryVersions());
    if (values.write) writeResults(results);
    process.stdout.write(renderMarkdown(results));
  }
  if (result.failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
