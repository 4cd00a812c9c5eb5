/**
 * Leak soak (`npm run test:soak`): one million mixed traced calls in a child process run with
 * `--expose-gc` (fixtures/leak-soak.ts). SOAK_CALLS overrides the count (CI may use fewer).
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runFixture } from '../helpers/spawn-fixture';

interface SoakResult {
  node: string;
  calls: number;
  mainCalls: number;
  warmupCalls: number;
  seconds: number;
  mainNsPerCall: number;
  outcomes: { ok: number; failed: number; wrong: number };
  spansMade: number;
  spansEnded: number;
  deferredMade: number;
  deferredEnded: number;
  deferredDeadline: number;
  rebinds: number;
  detaches: number;
  heapStart: number;
  heapMid: number;
  heapEnd: number;
  heapDelta: number;
  heapDeltaSecondHalf: number;
  peakHeap: number;
  sampled: number;
  sampleAlive: number;
  finalized: number;
  channelsIdle: boolean;
}

const MiB = 1024 * 1024;
const CALLS = Number(process.env.SOAK_CALLS ?? 1_000_000);

describe('leak soak', () => {
  it(`mixed calls ×${CALLS} (sync, promise, callback, failures, deferred ends that never come, unbind/rebind): heap back within 1 MiB, no span retained, deferred spans ended by their deadline`, async () => {
    const run = await runFixture<SoakResult>(fileURLToPath(new URL('./fixtures/leak-soak.ts', import.meta.url)), { nodeArgs: ['--expose-gc'], env: { SOAK_CALLS: String(CALLS) } });
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    const r = run.result!;
    expect(r, run.stderr).toBeDefined();
    console.log(
      [
        `[soak] node ${r.node}: ${r.mainCalls} calls measured after ${r.warmupCalls} warm-up, ${r.seconds.toFixed(1)} s, ${(r.mainNsPerCall / 1000).toFixed(1)} µs per call (span creation included)`,
        `[soak] heap after GC: start ${(r.heapStart / MiB).toFixed(2)} MiB, half-way ${(r.heapMid / MiB).toFixed(2)} MiB, end ${(r.heapEnd / MiB).toFixed(2)} MiB, delta ${(r.heapDelta / 1024).toFixed(0)} KiB (second half ${(r.heapDeltaSecondHalf / 1024).toFixed(0)} KiB); peak without GC ${(r.peakHeap / MiB).toFixed(0)} MiB`,
        `[soak] spans made ${r.spansMade}, ended ${r.spansEnded}; deferred ${r.deferredMade}, ended ${r.deferredEnded} (${r.deferredDeadline} by deadline_exceeded); sampled ${r.sampled}, still reachable ${r.sampleAlive}, finalized ${r.finalized}; ${r.rebinds} rebinds, ${r.detaches} full detaches`,
      ].join('\n'),
    );
    expect(r.outcomes.wrong).toBe(0);
    expect(r.outcomes.ok + r.outcomes.failed).toBe(r.calls);
    expect(r.spansEnded).toBe(r.spansMade);
    expect(r.deferredMade).toBe(r.calls / 10);
    expect(r.deferredEnded).toBe(r.deferredMade);
    expect(r.deferredDeadline).toBe(r.deferredMade);
    expect(r.sampled).toBeGreaterThan(0);
    expect(r.sampleAlive).toBe(0);
    expect(r.heapDelta).toBeLessThan(MiB);
    expect(r.rebinds).toBeGreaterThan(0);
    expect(r.detaches).toBeGreaterThan(0);
    expect(r.channelsIdle).toBe(true);
  });
});
