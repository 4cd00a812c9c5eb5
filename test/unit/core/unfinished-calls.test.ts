/** Rule 13: a span whose call never completed ends as `incomplete` once its payload is collected. */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFixture, type FixtureRun } from '../../helpers/spawn-fixture';

interface SpanReport {
  status: string;
  message: unknown;
  end: number | undefined;
  window: [number, number];
  endCount: number;
}
interface Result {
  spans: Record<string, SpanReport>;
  slowOpenAfterGc: boolean;
  slowValue: number;
  incompleteLines: number;
  slowPayloadKeys: string[];
}

const FIXTURE = fileURLToPath(new URL('./fixtures/unfinished-calls.ts', import.meta.url));
let run: FixtureRun<Result>;

beforeAll(async () => {
  run = await runFixture<Result>(FIXTURE, { nodeArgs: ['--expose-gc'], timeoutMs: 60_000 });
}, 60_000);

describe('unfinished calls (rule 13)', () => {
  it('the fixture process exits 0 with a result', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.result, run.stderr).toBeDefined();
  });

  for (const kind of ['traceSync', 'tracePromise', 'traceCallback', 'hand-built']) {
    it(`${kind} never completed, payload collected: span ended once, status error "incomplete", at the time of its last event`, () => {
      const span = run.result!.spans[kind]!;
      expect(span.status).toBe('error');
      expect(span.message).toBe('incomplete');
      expect(span.endCount).toBe(1);
      const [from, to] = span.window;
      expect(span.end).toBeGreaterThanOrEqual(from);
      expect(span.end).toBeLessThanOrEqual(to);
    });
  }

  it('one debug line per unfinished call', () => {
    expect(run.result!.incompleteLines).toBe(4);
  });

  it('tracePromise slow, payload still reachable: untouched by GC, then ends ok when it settles', () => {
    const slow = run.result!.spans.slow!;
    expect(run.result!.slowOpenAfterGc).toBe(true);
    expect(run.result!.slowValue).toBe(7);
    expect(slow.status).toBe('ok');
    expect(slow.endCount).toBe(1);
    expect(run.result!.slowPayloadKeys).toEqual(['result']);
  });
});
