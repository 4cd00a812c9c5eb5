/**
 * The results file (`bench/results/latest.json`, shape fixed by SPEC §6 with extra keys) and the
 * derived numbers the report shows: courier overheads, their ratios and the targets of the
 * benchmark issue.
 */
import type { CaseName, TraceKind } from './cases';
import type { StrategyName } from './strategy-setup';
import type { WorkloadCase } from './redis-workload';
import type { WorkerResult } from './worker';

/** One measured case (SPEC §6 `rows`). */
export interface ResultRow {
  node: string;
  strategy: StrategyName;
  kind: TraceKind;
  case: CaseName;
  medianNs: number;
  p25Ns: number;
  p75Ns: number;
  meanNs: number;
  rounds: number;
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

/** One real-workload row. */
export interface WorkloadRow {
  node: string;
  strategy: StrategyName;
  workload: string;
  case: WorkloadCase;
  /** Wall time per call. */
  medianNs: number;
  /** The process's CPU time per call. */
  cpuMedianNs: number;
  callsPerBatch: number;
  rounds: number;
}

/** Derived per (node, strategy, kind). Ratios are `null` where the denominator is not positive. */
export interface OverheadRow {
  node: string;
  strategy: StrategyName;
  kind: TraceKind;
  /** ours − span-floor − no-subscribers */
  oursCourierNs: number | null;
  /** anchor − span-floor − no-subscribers */
  anchorCourierNs: number | null;
  /** als-floor − no-subscribers */
  alsOverheadNs: number | null;
  oursVsAnchor: number | null;
  oursVsAls: number | null;
  /** ours-skip / als-floor (raw medians) */
  skipVsAlsFloor: number | null;
}

/** What one Node version's run produced (bench/run.ts `--json`). */
export interface NodeRun {
  node: string;
  workers: WorkerResult[];
  failures: Array<{ strategy: StrategyName; reason: string }>;
  seconds: number;
}

/** The whole results file. */
export interface Results {
  generatedAt: string;
  /** What ns per call means: `cpu` (process CPU time) or `wall`. */
  clock: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string };
  rows: ResultRow[];
  heap: HeapRow[];
  workload: WorkloadRow[];
  overhead: OverheadRow[];
  notes: string[];
}

/** The targets of the benchmark issue. */
export const TARGETS = {
  oursVsAnchor: 0.5,
  oursVsAls: 2,
  skipVsAlsFloor: 1.2,
  heapBytesPerMillion: 1024 * 1024,
} as const;

function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || !(b > 0)) return null;
  return a / b;
}

/** Courier overheads and ratios for every (node, strategy, kind) that has the cases. */
export function deriveOverheads(rows: readonly ResultRow[]): OverheadRow[] {
  const groups = new Map<string, Map<CaseName, number>>();
  const keys: Array<Pick<OverheadRow, 'node' | 'strategy' | 'kind'>> = [];
  for (const row of rows) {
    const key = `${row.node}|${row.strategy}|${row.kind}`;
    let group = groups.get(key);
    if (!group) {
      group = new Map();
      groups.set(key, group);
      keys.push({ node: row.node, strategy: row.strategy, kind: row.kind });
    }
    group.set(row.case, row.medianNs);
  }
  return keys.map(({ node, strategy, kind }) => {
    const c = groups.get(`${node}|${strategy}|${kind}`)!;
    const get = (name: CaseName) => c.get(name) ?? null;
    const none = get('no-subscribers');
    const spanFloor = get('span-floor');
    const courier = (name: CaseName) => {
      const value = get(name);
      return value === null || spanFloor === null || none === null ? null : value - spanFloor - none;
    };
    const oursCourierNs = courier('ours');
    const anchorCourierNs = courier('anchor');
    const alsFloor = get('als-floor');
    const alsOverheadNs = alsFloor === null || none === null ? null : alsFloor - none;
    return {
      node,
      strategy,
      kind,
      oursCourierNs,
      anchorCourierNs,
      alsOverheadNs,
      oursVsAnchor: ratio(oursCourierNs, anchorCourierNs),
      oursVsAls: ratio(oursCourierNs, alsOverheadNs),
      skipVsAlsFloor: ratio(get('ours-skip'), alsFloor),
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
export function buildResults(runs: readonly NodeRun[], machine: Results['machine']): Results {
  const rows: ResultRow[] = [];
  const heap: HeapRow[] = [];
  const workload: WorkloadRow[] = [];
  const notes: string[] = [];
  const sorted = [...runs].sort((a, b) => compareVersions(a.node, b.node));
  for (const run of sorted) {
    for (const failure of run.failures) notes.push(`node ${run.node} ${failure.strategy}: not measured (${failure.reason})`);
    for (const worker of run.workers) {
      const base = { node: worker.node, strategy: worker.strategy };
      for (const r of worker.rows) rows.push({ ...base, ...r });
      for (const h of worker.heap) {
        heap.push({ ...base, case: h.case, calls: h.calls, bytesPerMillionCalls: h.bytesPerMillionCalls });
      }
      if ('rows' in worker.workload) for (const w of worker.workload.rows) workload.push({ ...base, ...w });
      else notes.push(`node ${worker.node} ${worker.strategy}: ioredis workload skipped: ${worker.workload.skipped}`);
      for (const missing of worker.missing) notes.push(`node ${worker.node} ${worker.strategy}: ${missing}`);
    }
  }
  const clocks = [...new Set(sorted.flatMap((run) => run.workers.map((w) => w.clock)))];
  return { generatedAt: new Date().toISOString(), clock: clocks.join(',') || 'cpu', machine, rows, heap, workload, overhead: deriveOverheads(rows), notes };
}
