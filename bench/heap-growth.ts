/**
 * Heap growth of a binding: the used heap after GC, before and after many traced calls. Calls run
 * in chunks, each under a fresh root span that is ended (so Sentry's own span trees are released),
 * rotating through the trace kinds. Needs `--expose-gc`.
 */
import type { CaseRunner, TraceKind } from './cases';

/** The result of one heap measurement. */
export interface HeapMeasurement {
  calls: number;
  beforeBytes: number;
  afterBytes: number;
  bytesPerMillionCalls: number;
  seconds: number;
}

const CHUNK = 1000;

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('heap growth needs node --expose-gc');
  // Several passes with turns of the event loop in between, so weak maps, finalizers and
  // promise jobs let go of what they held.
  for (let i = 0; i < 4; i++) {
    await settle();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

async function runChunks(
  runners: Record<TraceKind, CaseRunner>,
  kinds: readonly TraceKind[],
  calls: number,
  withRootSpan: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<void> {
  for (let done = 0, chunk = 0; done < calls; done += CHUNK, chunk++) {
    const run = runners[kinds[chunk % kinds.length]!];
    await withRootSpan(async () => {
      await run(Math.min(CHUNK, calls - done));
    });
  }
}

/** Runs `calls` traced calls through `runners` and returns the heap growth, scaled to a million calls. */
export async function measureHeapGrowth(
  runners: Record<TraceKind, CaseRunner>,
  kinds: readonly TraceKind[],
  calls: number,
  withRootSpan: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<HeapMeasurement> {
  // Warm-up: lazily created state (JIT, caches, Sentry's first envelopes) is not growth.
  await runChunks(runners, kinds, Math.min(calls, 30 * CHUNK), withRootSpan);
  const beforeBytes = await heapAfterGc();
  const start = process.hrtime.bigint();
  await runChunks(runners, kinds, calls, withRootSpan);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const afterBytes = await heapAfterGc();
  return {
    calls,
    beforeBytes,
    afterBytes,
    bytesPerMillionCalls: Math.round(((afterBytes - beforeBytes) * 1e6) / calls),
    seconds,
  };
}
