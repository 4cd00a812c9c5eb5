/**
 * The benchmark's derived numbers: overheads over `no-subscribers`, ratios within each run, their
 * spread over runs, and the workload ratios. Pure functions over hand-made medians.
 */
import { describe, expect, it } from 'vitest';
import { deriveOverheads, deriveWorkloadOverheads, describeWorkloadChecks, isStable, spreadOf } from '../../bench/results-model';
import type { ResultRow, WorkloadRow } from '../../bench/results-model';
import type { CaseName } from '../../bench/cases';

function rows(perCase: Partial<Record<CaseName, number[]>>): ResultRow[] {
  return Object.entries(perCase).map(([name, runMediansNs]) => ({
    node: '22.0.0',
    strategy: 'scope-pair',
    kind: 'traceSync',
    case: name as CaseName,
    medianNs: runMediansNs![0]!,
    runMediansNs: runMediansNs!,
    rounds: runMediansNs!.map(() => 10),
    callsPerBatch: 100,
  }));
}

describe('spreadOf', () => {
  it('median, min and max over runs; null when a run lacks the value', () => {
    expect(spreadOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(spreadOf([1, 4])).toEqual({ median: 2.5, min: 1, max: 4, runs: 2 });
    expect(spreadOf([1, null, 2])).toBeNull();
    expect(spreadOf([])).toBeNull();
  });

  it('stable when every run is within 10% of the median', () => {
    expect(isStable({ median: 1, min: 0.91, max: 1.09, runs: 3 })).toBe(true);
    expect(isStable({ median: 1, min: 0.85, max: 1.02, runs: 3 })).toBe(false);
    expect(isStable({ median: 1, min: 1, max: 1.2, runs: 3 })).toBe(false);
  });
});

describe('deriveOverheads', () => {
  it('courier ratios are taken within each run, then spread over runs', () => {
    const [o] = deriveOverheads(
      rows({
        'no-subscribers': [100, 200, 100],
        'als-floor': [300, 400, 350],
        courier: [600, 700, 1100],
        'anchor-courier': [1100, 2200, 2100],
      }),
    );
    // run 1: 500/1000, run 2: 500/2000, run 3: 1000/2000
    expect(o!.courierVsAnchor).toEqual({ median: 0.5, min: 0.25, max: 0.5, runs: 3 });
    // run 1: 500/200, run 2: 500/200, run 3: 1000/250
    expect(o!.courierVsAls).toEqual({ median: 2.5, min: 2.5, max: 4, runs: 3 });
    expect(o!.courierNs).toEqual({ median: 500, min: 500, max: 1000, runs: 3 });
    expect(o!.sampledOnlyVsAlsFloor).toBeNull();
  });

  it('sampled-only compares raw medians with als-floor; a non-positive denominator gives null', () => {
    const [o] = deriveOverheads(rows({ 'no-subscribers': [100], 'als-floor': [100], 'ours-sampled-only': [130], courier: [500], 'anchor-courier': [900] }));
    expect(o!.sampledOnlyVsAlsFloor!.median).toBeCloseTo(1.3);
    expect(o!.courierVsAls).toBeNull(); // als overhead is 0
    expect(o!.courierVsAnchor!.median).toBeCloseTo(0.5);
  });
});

describe('deriveWorkloadOverheads', () => {
  it('CPU added by ours and by Sentry over none, and their ratio per run', () => {
    const w = (c: WorkloadRow['case'], runCpuNsPerOp: number[]): WorkloadRow => ({
      node: '22.0.0',
      strategy: 'otel',
      workload: 'ioredis GET',
      case: c,
      cpuNsPerOp: runCpuNsPerOp[0]!,
      wallNsPerOp: 0,
      runCpuNsPerOp,
      callsPerBatch: 10,
      rounds: 5,
    });
    const [o] = deriveWorkloadOverheads([w('none', [1000, 2000]), w('ours', [1400, 2500]), w('sentry', [2000, 3000])]);
    expect(o!.oursAddsNs).toEqual({ median: 450, min: 400, max: 500, runs: 2 });
    expect(o!.sentryAddsNs).toEqual({ median: 1000, min: 1000, max: 1000, runs: 2 });
    expect(o!.oursVsSentry).toEqual({ median: 0.45, min: 0.4, max: 0.5, runs: 2 });
  });
});

describe('describeWorkloadChecks', () => {
  const row = (node: string, c: WorkloadRow['case'], spans: number, origins: string[]): WorkloadRow => ({
    node,
    strategy: 'otel',
    workload: 'mysql2 query',
    case: c,
    cpuNsPerOp: 1,
    wallNsPerOp: 1,
    runCpuNsPerOp: [1],
    callsPerBatch: 1,
    rounds: 1,
    checkedSpans: spans,
    checkedOrigins: origins,
  });

  it('one line per distinct outcome of a workload, with the node · strategy pairs it held for', () => {
    const rows = [
      row('22.0.0', 'none', 0, []),
      row('22.0.0', 'ours', 2, ['auto.ours']),
      row('24.0.0', 'none', 0, []),
      row('24.0.0', 'ours', 2, ['auto.ours']),
      row('26.0.0', 'none', 0, []),
      row('26.0.0', 'ours', 4, ['auto.ours']),
    ];
    expect(describeWorkloadChecks(rows)).toEqual([
      { workload: 'mysql2 query', seen: 'none 0 · ours 2 (auto.ours)', where: ['22.0.0 otel', '24.0.0 otel'] },
      { workload: 'mysql2 query', seen: 'none 0 · ours 4 (auto.ours)', where: ['26.0.0 otel'] },
    ]);
  });
});
