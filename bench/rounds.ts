/**
 * Interleaved measurement: every round runs one batch of every case (in a rotating order, under a
 * fresh root span), so that drift, GC and the neighbours' CPU use hit all cases alike. A case's
 * result is the median over rounds of ns per call.
 *
 * The default clock is the process's CPU time (user + system, `process.cpuUsage()`), not wall
 * time: on a shared machine a batch that was descheduled half the time would otherwise count
 * double. No case waits for I/O, so on an idle machine both clocks agree.
 */
import type { CaseName, CaseRunner, TraceKind } from './cases';

/** `cpu`: process CPU time per batch; `wall`: elapsed time. */
export type Clock = 'cpu' | 'wall';

/** How long to measure. */
export interface RoundOptions {
  clock: Clock;
  /** Wall-clock budget for the measured rounds, in seconds (warm-up and calibration come on top). */
  seconds: number;
  /** Rounds at least, even past the budget. */
  minRounds: number;
  /** Target duration of one batch, in milliseconds. */
  batchMs: number;
  /** Warm-up per case and kind, in milliseconds. */
  warmupMs: number;
  /** Runs one round under a fresh root span. */
  withRootSpan<T>(fn: () => Promise<T>): Promise<T>;
}

/** One case's result. */
export interface CaseMeasurement {
  kind: TraceKind;
  case: CaseName;
  medianNs: number;
  meanNs: number;
  p25Ns: number;
  p75Ns: number;
  callsPerBatch: number;
  rounds: number;
}

async function timeBatch(run: CaseRunner, n: number, clock: Clock): Promise<number> {
  if (clock === 'cpu') {
    const start = process.cpuUsage();
    const pending = run(n);
    if (pending) await pending;
    const used = process.cpuUsage(start);
    return (used.user + used.system) * 1000;
  }
  const start = process.hrtime.bigint();
  const pending = run(n);
  if (pending) await pending;
  return Number(process.hrtime.bigint() - start);
}

/** Sorted-array quantile with linear interpolation. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

async function calibrate(run: CaseRunner, batchNs: number, warmupNs: number, clock: Clock): Promise<number> {
  // Warm up (JIT) for about warmupNs, doubling the batch while it is short. The batch size comes
  // from the fastest per-call time seen: one-off costs (first calls, a GC) must not shrink it.
  let n = 4;
  let spent = 0;
  let best = Number.POSITIVE_INFINITY;
  let batches = 0;
  while (spent < warmupNs || batches < 4) {
    const took = await timeBatch(run, n, clock);
    spent += took;
    batches++;
    if (took > 0) best = Math.min(best, took / n);
    if (took < batchNs / 2 && n < 1 << 24) n *= 2;
  }
  return Math.max(1, Math.min(1 << 24, Math.round(batchNs / Math.max(best, 0.1))));
}

/** Measures every case of every kind, interleaved, and returns one result per (kind, case). */
export async function measureInterleaved(
  cases: Map<CaseName, Record<TraceKind, CaseRunner>>,
  kinds: readonly TraceKind[],
  options: RoundOptions,
): Promise<CaseMeasurement[]> {
  const names = [...cases.keys()];
  const batchNs = options.batchMs * 1e6;
  const sizes = new Map<string, number>();
  await options.withRootSpan(async () => {
    for (const kind of kinds) {
      for (const name of names) sizes.set(`${kind}/${name}`, await calibrate(cases.get(name)![kind], batchNs, options.warmupMs * 1e6, options.clock));
    }
  });

  const samples = new Map<string, number[]>();
  for (const key of sizes.keys()) samples.set(key, []);
  const deadline = process.hrtime.bigint() + BigInt(Math.round(options.seconds * 1e9));
  let rounds = 0;
  while (rounds < options.minRounds || process.hrtime.bigint() < deadline) {
    const offset = rounds;
    await options.withRootSpan(async () => {
      for (const kind of kinds) {
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + offset) % names.length]!;
          const key = `${kind}/${name}`;
          const n = sizes.get(key)!;
          samples.get(key)!.push((await timeBatch(cases.get(name)![kind], n, options.clock)) / n);
        }
      }
    });
    rounds++;
  }

  const results: CaseMeasurement[] = [];
  for (const kind of kinds) {
    for (const name of names) {
      const key = `${kind}/${name}`;
      const values = samples.get(key)!;
      const sorted = [...values].sort((a, b) => a - b);
      results.push({
        kind,
        case: name,
        medianNs: quantile(sorted, 0.5),
        meanNs: values.reduce((a, b) => a + b, 0) / values.length,
        p25Ns: quantile(sorted, 0.25),
        p75Ns: quantile(sorted, 0.75),
        callsPerBatch: sizes.get(key)!,
        rounds,
      });
    }
  }
  return results;
}
