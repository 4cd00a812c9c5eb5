/**
 * `npm run bench`: the lifecycle benchmark on the current Node.js. Runs one worker process per
 * async-context strategy (strategies are process-global), one after the other, and prints the
 * Markdown report. `bench/matrix.ts` runs this under every supported Node version with `--json-dir`.
 *
 *   node --import tsx bench/run.ts [--strategies scope-pair,otel] [--seconds 10] [--clock cpu|wall]
 *        [--heap-calls 1000000] [--heap-strategy scope-pair] [--json-dir <dir>] [--write]
 *
 * --json-dir: write this version's raw results to `<dir>/node-<version>.json` (for the matrix).
 * --write:    write bench/results/latest.{json,md,svg} from this version alone.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderMarkdown } from './markdown-report';
import { buildResults } from './results-model';
import type { NodeRun, Results } from './results-model';
import { renderSvg } from './svg-chart';
import type { StrategyName } from './strategy-setup';
import type { WorkerResult } from './worker';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
/** Where `latest.*` go. */
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** The machine description written into results. */
export function describeMachine(): Results['machine'] {
  const list = cpus();
  return { platform: process.platform, arch: process.arch, cpus: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown' };
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      strategies: { type: 'string', default: 'scope-pair,otel' },
      seconds: { type: 'string', default: '10' },
      clock: { type: 'string', default: 'cpu' },
      'heap-calls': { type: 'string', default: '1000000' },
      'heap-strategy': { type: 'string', default: 'scope-pair' },
      'redis-rounds': { type: 'string', default: '30' },
      'json-dir': { type: 'string' },
      write: { type: 'boolean', default: false },
    },
  });
  const strategies = values.strategies.split(',').filter(Boolean) as StrategyName[];
  for (const s of strategies) if (s !== 'scope-pair' && s !== 'otel') throw new TypeError(`unknown strategy ${s}`);
  const started = process.hrtime.bigint();
  const tmp = join(RESULTS_DIR, 'tmp');
  mkdirSync(tmp, { recursive: true });

  const run: NodeRun = { node: process.versions.node, workers: [], failures: [], seconds: 0 };
  for (const strategy of strategies) {
    const out = join(tmp, `worker-${process.versions.node}-${strategy}-${process.pid}.json`);
    const heapCalls = strategy === values['heap-strategy'] ? values['heap-calls'] : '0';
    process.stderr.write(`bench: node ${process.versions.node} ${strategy} …\n`);
    const result = await runWorker(strategy, ['--seconds', values.seconds, '--clock', values.clock, '--heap-calls', heapCalls, '--redis-rounds', values['redis-rounds']], out);
    if (result.ok) {
      run.workers.push(JSON.parse(readFileSync(out, 'utf8')) as WorkerResult);
      rmSync(out, { force: true });
    } else {
      run.failures.push({ strategy, reason: result.reason });
    }
  }
  run.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(`bench: node ${run.node} done in ${run.seconds.toFixed(0)} s\n`);

  if (values['json-dir']) {
    mkdirSync(values['json-dir'], { recursive: true });
    writeFileSync(join(values['json-dir'], `node-${run.node}.json`), `${JSON.stringify(run, null, 2)}\n`);
  } else {
    const results = buildResults([run], describeMachine());
    if (values.write) writeResults(results);
    process.stdout.write(renderMarkdown(results));
  }
  if (run.failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
