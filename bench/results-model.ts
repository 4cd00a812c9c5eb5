/**
 * The results file (`bench/results/latest.json`, shape fixed by SPEC §6 with extra keys) and the
 * numbers derived from it. Each (Node version, strategy) is measured in several runs (separate
 * processes); every ratio is computed within one run, and the report shows its median and its
 * min–max over the runs, so a reader can see whether it holds to within 10%.
 */
import { CASE_NAMES } from './cases';
import type { CaseName, TraceKind } from './cases';
import type { StrategyName } from './strategy-setup';
import type { WorkloadCase } from './workloads';
import type { WorkerResult } from './worker';

/** One measured case (SPEC §6 `rows`): `medianNs` is the median over runs of each run's median. */
export interface ResultRow {
  node: string;
  strategy: StrategyName;
  kind: TraceKind;
  case: CaseName;
  medianNs: number;
  /** Each run's median, in run order. */
  runMediansNs: number[];
  /** Rounds per run. */
  rounds: number[];
  callsPerBatch: number;
}

/** Heap growth (SPEC §6 `heap`). */
export interface HeapRow {
  node: string;
  strategy: StrategyName;
  case: CaseName;
  calls: number;
  bytesPerMillionCalls: number;
}

/** One workload row (SPEC §6 `workloads`). */
export interface WorkloadRow {
  node: string;
  strategy: StrategyName;
  workload: string;
  case: WorkloadCase;
  /** The process's CPU time per operation (median over rounds; over runs, the median of runs). */
  cpuNsPerOp: number;
  /** Wall time per operation (latency). */
  wallNsPerOp: number;
  runCpuNsPerOp: number[];
  callsPerBatch: number;
  rounds: number;
  /** Spans that ended while the case ran two operations before timing (first run), and their origins. */
  checkedSpans?: number;
  checkedOrigins?: string[];
}

/** Median and range of one quantity over the runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** The derived quantities, each over the runs. `null`: a case is missing or a denominator ≤ 0. */
export interface Derived {
  /** courier − no-subscribers */
  courierNs: Spread | null;
  /** anchor-courier − no-subscribers */
  anchorCourierNs: Spread | null;
  /** als-floor − no-subscribers */
  alsNs: Spread | null;
  /** ours-unsampled − no-subscribers, anchor-unsampled − no-subscribers, ours-sampled-only − no-subscribers */
  unsampledNs: Spread | null;
  anchorUnsampledNs: Spread | null;
  sampledOnlyNs: Spread | null;
  courierVsAnchor: Spread | null;
  courierVsAls: Spread | null;
  /** ours-sampled-only / als-floor (raw medians, like the old ours-skip target) */
  sampledOnlyVsAlsFloor: Spread | null;
  unsampledVsAnchor: Spread | null;
  /** (ours − no-subscribers) / (anchor − no-subscribers): the whole call with a real span */
  oursVsAnchor: Spread | null;
  /** ours-skip / als-floor (raw) */
  skipVsAlsFloor: Spread | null;
}

/** Derived per (node, strategy, kind). */
export interface OverheadRow extends Derived {
  node: string;
  strategy: StrategyName;
  kind: TraceKind;
}

/** Workload overheads per (node, strategy, workload): CPU added per operation and their ratio. */
export interface WorkloadOverhead {
  node: string;
  strategy: StrategyName;
  workload: string;
  oursAddsNs: Spread | null;
  sentryAddsNs: Spread | null;
  oursVsSentry: Spread | null;
}

/** What one Node version's run produced (bench/run.ts `--json-dir`). */
export interface NodeRun {
  node: string;
  workers: Array<WorkerResult & { run: number }>;
  failures: Array<{ strategy: StrategyName; mode: string; run: number; reason: string }>;
  seconds: number;
}

/** The whole results file. */
export interface Results {
  generatedAt: string;
  /** What ns per call means: `cpu` (process CPU time) or `wall`. */
  clock: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; loadAverage?: number[] };
  versions: { sentry: string };
  rows: ResultRow[];
  heap: HeapRow[];
  workloads: WorkloadRow[];
  overhead: OverheadRow[];
  workloadOverhead: WorkloadOverhead[];
  notes: string[];
}

/** The targets of the benchmark issue (ratios within one run). */
export const TARGETS = {
  courierVsAnchor: 0.3,
  courierVsAls: { traceSync: 5, tracePromise: 2, traceCallback: 2 } as Record<TraceKind, number>,
  sampledOnlyVsAlsFloor: 1.3,
  oursVsSentry: 0.9,
  heapBytesPerMillion: 1024 * 1024,
  stableWithin: 0.1,
} as const;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

/** The spread of per-run values; `null` when any run lacks the value. */
export function spreadOf(values: ReadonlyArray<number | null>): Spread | null {
  if (values.length === 0 || values.some((v) => v === null || !Number.isFinite(v))) return null;
  const list = values as number[];
  return { median: median(list), min: Math.min(...list), max: Math.max(...list), runs: list.length };
}

/** Whether every run is within `TARGETS.stableWithin` (10%) of the median. */
export function isStable(spread: Spread): boolean {
  const limit = TARGETS.stableWithin * Math.abs(spread.median);
  return spread.max - spread.median <= limit && spread.median - spread.min <= limit;
}

const diff = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? null : a - b);
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined || !(b > 0) ? null : a / b;

/** The derived quantities of one run's medians. */
function deriveRun(c: Map<CaseName, number>): Record<keyof Derived, number | null> {
  const none = c.get('no-subscribers');
  const over = (name: CaseName) => diff(c.get(name), none);
  const courierNs = over('courier');
  const anchorCourierNs = over('anchor-courier');
  const alsNs = over('als-floor');
  const unsampledNs = over('ours-unsampled');
  const anchorUnsampledNs = over('anchor-unsampled');
  return {
    courierNs,
    anchorCourierNs,
    alsNs,
    unsampledNs,
    anchorUnsampledNs,
    sampledOnlyNs: over('ours-sampled-only'),
    courierVsAnchor: ratio(courierNs, anchorCourierNs),
    courierVsAls: ratio(courierNs, alsNs),
    sampledOnlyVsAlsFloor: ratio(c.get('ours-sampled-only'), c.get('als-floor')),
    unsampledVsAnchor: ratio(unsampledNs, anchorUnsampledNs),
    oursVsAnchor: ratio(over('ours'), over('anchor')),
    skipVsAlsFloor: ratio(c.get('ours-skip'), c.get('als-floor')),
  };
}

/** Derived quantities for every (node, strategy, kind), each over the runs. */
export function deriveOverheads(rows: readonly ResultRow[]): OverheadRow[] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = `${row.node}|${row.strategy}|${row.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const { node, strategy, kind } = group[0]!;
    const runs = Math.max(...group.map((r) => r.runMediansNs.length));
    const perRun = Array.from({ length: runs }, (_, i) => deriveRun(new Map(group.filter((r) => r.runMediansNs[i] !== undefined).map((r) => [r.case, r.runMediansNs[i]!]))));
    const derived = {} as Derived;
    for (const key of Object.keys(perRun[0]!) as Array<keyof Derived>) derived[key] = spreadOf(perRun.map((r) => r[key]));
    return { node, strategy, kind, ...derived };
  });
}

/**
 * What the check before timing saw, per workload: one line per distinct outcome (`none 0 · ours 2
 * (origin) · sentry 2 (origin)`), with the node · strategy pairs it held for.
 */
export function describeWorkloadChecks(rows: readonly WorkloadRow[]): Array<{ workload: string; seen: string; where: string[] }> {
  const byKey = new Map<string, { workload: string; seen: string; where: string[] }>();
  for (const key of [...new Set(rows.map((w) => `${w.node}|${w.strategy}|${w.workload}`))]) {
    const [node, strategy, workload] = key.split('|') as [string, string, string];
    const cases = rows.filter((w) => w.node === node && w.strategy === strategy && w.workload === workload && w.checkedSpans !== undefined);
    if (cases.length === 0) continue;
    const seen = cases.map((w) => `${w.case} ${w.checkedSpans}${w.checkedOrigins?.length ? ` (${w.checkedOrigins.join(', ')})` : ''}`).join(' · ');
    const entry = byKey.get(`${workload}|${seen}`) ?? { workload, seen, where: [] };
    entry.where.push(`${node} ${strategy}`);
    byKey.set(`${workload}|${seen}`, entry);
  }
  return [...byKey.values()];
}

/** Workload overheads, each over the runs that measured the workload. */
export function deriveWorkloadOverheads(rows: readonly WorkloadRow[]): WorkloadOverhead[] {
  const keys = [...new Set(rows.map((w) => `${w.node}|${w.strategy}|${w.workload}`))];
  return keys.map((key) => {
    const [node, strategy, workload] = key.split('|') as [string, StrategyName, string];
    const find = (c: WorkloadCase) => rows.find((w) => w.node === node && w.strategy === strategy && w.workload === workload && w.case === c);
    const none = find('none');
    const ours = find('ours');
    const sentry = find('sentry');
    const runs = none?.runCpuNsPerOp.length ?? 0;
    const adds = (w: WorkloadRow | undefined) => Array.from({ length: runs }, (_, i) => (w && none ? diff(w.runCpuNsPerOp[i], none.runCpuNsPerOp[i]) : null));
    const oursAdds = adds(ours);
    const sentryAdds = adds(sentry);
    return {
      node,
      strategy,
      workload,
      oursAddsNs: spreadOf(oursAdds),
      sentryAddsNs: spreadOf(sentryAdds),
      oursVsSentry: spreadOf(oursAdds.map((o, i) => ratio(o, sentryAdds[i]))),
    };
  });
}

/** Compares versions numerically (20.20.2 < 22.23.3). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Flattens the per-version runs into the results file. */
export function buildResults(runs: readonly NodeRun[], machine: Results['machine'], versions: Results['versions']): Results {
  const rows: ResultRow[] = [];
  const heap: HeapRow[] = [];
  const workloads: WorkloadRow[] = [];
  const notes = new Set<string>();
  for (const run of [...runs].sort((a, b) => compareVersions(a.node, b.node))) {
    for (const f of run.failures) notes.add(`node ${run.node} ${f.strategy} ${f.mode} run ${f.run}: not measured (${f.reason})`);
    const workers = [...run.workers].sort((a, b) => a.run - b.run);
    const strategies = [...new Set(workers.map((w) => w.strategy))];
    for (const strategy of strategies) {
      const caseWorkers = workers.filter((w) => w.strategy === strategy && w.mode === 'cases');
      for (const kind of [...new Set(caseWorkers.flatMap((w) => w.rows.map((r) => r.kind)))]) {
        for (const name of CASE_NAMES) {
          const measured = caseWorkers.map((w) => w.rows.find((r) => r.kind === kind && r.case === name)).filter((r) => r !== undefined);
          if (measured.length === 0) continue;
          const runMediansNs = measured.map((r) => r.medianNs);
          rows.push({ node: run.node, strategy, kind, case: name, medianNs: median(runMediansNs), runMediansNs, rounds: measured.map((r) => r.rounds), callsPerBatch: measured[0]!.callsPerBatch });
        }
      }
      for (const w of caseWorkers) for (const h of w.heap) heap.push({ node: run.node, strategy, case: h.case, calls: h.calls, bytesPerMillionCalls: h.bytesPerMillionCalls });
      const workloadWorkers = workers.filter((w) => w.strategy === strategy && w.mode === 'workloads');
      const names = [...new Set(workloadWorkers.flatMap((w) => w.workloads.rows.map((r) => `${r.workload}|${r.case}`)))];
      for (const key of names) {
        const [workload, c] = key.split('|') as [string, WorkloadCase];
        const measured = workloadWorkers.map((w) => w.workloads.rows.find((r) => r.workload === workload && r.case === c)).filter((r) => r !== undefined);
        const runCpuNsPerOp = measured.map((r) => r.cpuNsPerOp);
        const check = workloadWorkers.flatMap((w) => w.workloads.checks ?? []).find((k) => k.workload === workload && k.case === c);
        workloads.push({
          node: run.node,
          strategy,
          workload,
          case: c,
          cpuNsPerOp: median(runCpuNsPerOp),
          wallNsPerOp: median(measured.map((r) => r.wallNsPerOp)),
          runCpuNsPerOp,
          callsPerBatch: measured[0]!.callsPerBatch,
          rounds: measured[0]!.rounds,
          ...(check ? { checkedSpans: check.spans, checkedOrigins: check.origins } : {}),
        });
      }
      for (const w of workers.filter((x) => x.strategy === strategy)) {
        for (const m of w.missing) notes.add(`node ${run.node} ${strategy}: ${m}`);
        for (const s of w.workloads.skipped) notes.add(`node ${run.node} ${strategy} workloads: ${s}`);
      }
    }
  }
  const clocks = [...new Set(runs.flatMap((run) => run.workers.map((w) => w.clock)))];
  return {
    generatedAt: new Date().toISOString(),
    clock: clocks.join(',') || 'cpu',
    machine,
    versions,
    rows,
    heap,
    workloads,
    overhead: deriveOverheads(rows),
    workloadOverhead: deriveWorkloadOverheads(workloads),
    notes: [...notes],
  };
}
