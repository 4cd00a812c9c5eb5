/**
 * Runs the real workloads (bench/workload-defs.ts) side by side: `none` (no instrumentation),
 * `ours` (this package's integration) and `sentry` (Sentry's own integration, replayed from what
 * it recorded at setup, see bench/sentry-capture.ts). One process, one workload at a time; every
 * round runs one batch of each case in rotating order; inside a batch, every 10 operations run
 * under a fresh sampled root span (a "request"), whose end is timed with them. The
 * result per case is the median over rounds of the process's CPU time per operation (wall time
 * beside it: latency, which moves with the machine's load).
 *
 * Before timing, every case is checked once: the spans that end while it runs two operations
 * (root span aside) must be none for `none`, at least one for `ours` and for `sentry`, and the two
 * must not share an origin (so each case measures the integration it names, not the other's or
 * nobody's). A workload that fails the check is not measured, and says why.
 */
import { getClient, spanToJSON } from '@sentry/core';
import type { Span } from '@sentry/core';
import { quantile } from './rounds';
import type { CapturedWork } from './sentry-capture';
import { WORKLOADS } from './workload-defs';
import type { ReadyWorkload, WorkloadDef, WorkloadName } from './workload-defs';

/** The workload cases of SPEC §6. */
export type WorkloadCase = 'none' | 'ours' | 'sentry';
const CASES: readonly WorkloadCase[] = ['none', 'ours', 'sentry'];

/** One workload row (SPEC §6 `workloads`, without node and strategy). */
export interface WorkloadMeasurement {
  workload: WorkloadName;
  case: WorkloadCase;
  cpuNsPerOp: number;
  wallNsPerOp: number;
  callsPerBatch: number;
  rounds: number;
}

/** The spans one case made in the check before timing: how many per two operations, of which origins. */
export interface WorkloadCheck {
  workload: WorkloadName;
  case: WorkloadCase;
  spans: number;
  origins: string[];
}

/** The rows, the checks made before timing, and why any workload or case is missing. */
export interface WorkloadOutcome {
  rows: WorkloadMeasurement[];
  skipped: string[];
  checks?: WorkloadCheck[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** One batch's CPU and wall time per operation, in ns. */
export type Sample = { cpu: number; wall: number };

/** Operations per root span: a "request" that makes this many calls (its end, and the sending of its spans, is timed too). */
const OPS_PER_ROOT = 10;

/** Runs `fn` under a fresh sampled root span and ends it. */
export type WithRootSpan = <T>(fn: () => Promise<T>) => Promise<T>;

/** CPU and wall time per operation of `n` operations, {@link OPS_PER_ROOT} per root span. */
export async function timed(op: () => Promise<unknown>, n: number, withRootSpan: WithRootSpan): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let done = 0; done < n; done += OPS_PER_ROOT) {
    await withRootSpan(async () => {
      for (let i = 0; i < OPS_PER_ROOT; i++) await op();
    });
  }
  const cpu = process.cpuUsage(cpu0);
  return { cpu: ((cpu.user + cpu.system) * 1000) / n, wall: Number(process.hrtime.bigint() - wall0) / n };
}

/** Runs `fn` with the case's instrumentation switched on, and off again afterwards. */
async function withCase<T>(ready: ReadyWorkload, name: WorkloadCase, sentry: CapturedWork | undefined, fn: () => Promise<T>): Promise<T> {
  if (name === 'none') return fn();
  if (name === 'ours') {
    const handle = ready.instrumentOurs();
    try {
      return await fn();
    } finally {
      handle.unbind();
    }
  }
  sentry!.enable();
  try {
    return await fn();
  } finally {
    sentry!.disable();
  }
}

function runCase(ready: ReadyWorkload, name: WorkloadCase, sentry: CapturedWork | undefined, n: number, root: WithRootSpan): Promise<Sample> {
  return withCase(ready, name, sentry, () => timed(ready.op, n, root));
}

/** The origins of the spans (root spans aside) that end while the case runs two operations under one root span. */
async function spanOrigins(ready: ReadyWorkload, name: WorkloadCase, sentry: CapturedWork | undefined, root: WithRootSpan): Promise<string[]> {
  const client = getClient();
  if (!client) throw new Error('no Sentry client to count spans with');
  const origins: string[] = [];
  const off = client.on('spanEnd', (span: Span) => {
    const json = spanToJSON(span);
    const attributes = json.attributes ?? {};
    if (attributes['sentry.op'] !== 'bench') origins.push(String(attributes['sentry.origin'] ?? '(no origin)'));
  });
  try {
    await withCase(ready, name, sentry, async () => {
      await root(async () => {
        await ready.op();
        await ready.op();
      });
      await new Promise((resolve) => setTimeout(resolve, 20)); // spans a server ends after answering
    });
  } finally {
    off();
  }
  return origins;
}

/** Why the cases do not measure what they name, or `undefined` when each makes the spans it should. */
async function checkCases(
  def: { name: WorkloadName },
  ready: ReadyWorkload,
  cases: readonly WorkloadCase[],
  options: WorkloadOptions,
  checks: WorkloadCheck[],
): Promise<string | undefined> {
  const seen = new Map<WorkloadCase, string[]>();
  for (const c of cases) {
    const origins = await spanOrigins(ready, c, options.sentry, options.withRootSpan);
    seen.set(c, origins);
    checks.push({ workload: def.name, case: c, spans: origins.length, origins: [...new Set(origins)] });
  }
  const none = seen.get('none') ?? [];
  if (none.length > 0) return `case none made ${none.length} spans (${[...new Set(none)].join(', ')})`;
  for (const c of ['ours', 'sentry'] as const) {
    if (seen.has(c) && seen.get(c)!.length === 0) return `case ${c} made no spans`;
  }
  const ours = new Set(seen.get('ours'));
  const shared = [...new Set(seen.get('sentry'))].filter((origin) => ours.has(origin));
  if (shared.length > 0) return `cases ours and sentry made spans of the same origin (${shared.join(', ')})`;
  return undefined;
}

/** Options of {@link measureWorkloads}. */
export interface WorkloadOptions {
  rounds: number;
  /** Which workloads (default: all). */
  only?: readonly string[];
  /** The definitions to pick from (default: {@link WORKLOADS}). */
  defs?: readonly WorkloadDef[];
  /** Sentry's integrations' recorded channel work (absent: no `sentry` case). */
  sentry?: CapturedWork;
  /** Runs `fn` under a fresh sampled root span and ends it. */
  withRootSpan: WithRootSpan;
}

/** Measures every workload that can run here. Never throws: failures land in `skipped`. */
export async function measureWorkloads(options: WorkloadOptions): Promise<WorkloadOutcome> {
  const rows: WorkloadMeasurement[] = [];
  const skipped: string[] = [];
  const checks: WorkloadCheck[] = [];
  const cases = CASES.filter((c) => c !== 'sentry' || options.sentry);
  if (!options.sentry) skipped.push("sentry: Sentry's integrations were not set up in this process");
  for (const def of options.defs ?? WORKLOADS) {
    if (options.only && !options.only.includes(def.name)) continue;
    let ready: ReadyWorkload | { skipped: string };
    try {
      ready = await def.start();
    } catch (error) {
      skipped.push(`${def.name}: could not start (${message(error)})`);
      continue;
    }
    if ('skipped' in ready) {
      skipped.push(`${def.name}: ${ready.skipped}`);
      continue;
    }
    const live = ready;
    try {
      const samples = new Map<WorkloadCase, Sample[]>(cases.map((c) => [c, []]));
      const root = options.withRootSpan;
      const wrong = await checkCases(def, live, cases, options, checks);
      if (wrong) {
        skipped.push(`${def.name}: not measured: ${wrong}`);
        continue;
      }
      for (const c of cases) await runCase(live, c, options.sentry, def.batch, root); // warm-up
      for (let round = 0; round < options.rounds; round++) {
        for (let i = 0; i < cases.length; i++) {
          const c = cases[(i + round) % cases.length]!;
          samples.get(c)!.push(await runCase(live, c, options.sentry, def.batch, root));
        }
      }
      const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
      for (const c of cases) {
        const list = samples.get(c)!;
        rows.push({
          workload: def.name,
          case: c,
          cpuNsPerOp: median(list.map((s) => s.cpu)),
          wallNsPerOp: median(list.map((s) => s.wall)),
          callsPerBatch: def.batch,
          rounds: options.rounds,
        });
      }
    } catch (error) {
      skipped.push(`${def.name}: failed (${message(error)})`);
    } finally {
      await live.close().catch(() => undefined);
    }
  }
  return { rows, skipped, checks };
}
