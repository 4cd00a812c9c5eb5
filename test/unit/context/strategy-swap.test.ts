/**
 * Strategy swaps around live bindings (SPEC §2 rule 12, §3): bindings made before `Sentry.init`,
 * after it, across re-init, scope pair followed by `Sentry.init` (with and without OpenTelemetry
 * setup, whose installers adopt the previous strategy's AsyncLocalStorage), the scope-pair
 * strategy installed twice, and two strategies sharing one storage. The strategy is process-global
 * state, so each scenario runs in its own child process (fixtures/strategy-swap.ts).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runFixture } from '../../helpers/spawn-fixture';

const FIXTURE = fileURLToPath(new URL('./fixtures/strategy-swap.ts', import.meta.url));

interface SwapResult {
  code: number | null;
  stderr: string;
  checks: Record<string, unknown>;
  uncaught: string[];
  unhandled: string[];
}

async function runScenario(scenario: string): Promise<SwapResult> {
  const run = await runFixture<Omit<SwapResult, 'code' | 'stderr'>>(FIXTURE, { args: [scenario], timeoutMs: 50_000 });
  if (!run.result) throw new Error(`no result from scenario "${scenario}" (exit ${run.code})\n${run.stdout}\n${run.stderr}`);
  return { code: run.code, stderr: run.stderr, ...run.result };
}

function expectClean(result: SwapResult): void {
  expect(result.code, result.stderr).toBe(0);
  expect(result.uncaught).toEqual([]);
  expect(result.unhandled).toEqual([]);
}

describe('strategy swaps (child processes)', () => {
  for (const otel of [false, true]) {
    const scenario = otel ? 'bound before Sentry.init with OpenTelemetry setup' : 'bound before Sentry.init';
    it(`traceSync ok, ${scenario}: span ended but not active before init, active from the first call after it without rebinding`, async () => {
      const r = await runScenario(scenario);
      expectClean(r);
      expect(r.checks).toEqual({
        beforeInitActive: false,
        beforeInitEnded: 1,
        afterInitActive: true,
        afterInitChildParentIsBound: true,
        afterInitEnded: 1,
      });
    });
  }

  it('traceSync ok, bound after Sentry.init, then Sentry.init again: active under both, the storage is kept, an in-flight call ends once', async () => {
    const r = await runScenario('bound after Sentry.init, then Sentry.init again');
    expectClean(r);
    expect(r.checks).toEqual({
      firstActive: true,
      firstChildParentIsBound: true,
      firstEnded: 1,
      reinitKeptStorage: true,
      inFlightEnded: 1,
      // the second init installs a new strategy object: the caller's store from before is not
      // restored for the continuation (it runs in the context it was invoked from)
      inFlightCallbackActive: null,
      secondActive: true,
      secondChildParentIsBound: true,
      secondEnded: 1,
    });
  });

  it('traceCallback ok, setScopePairAsyncContextStrategy twice: same storage, the binding and an in-flight call keep working', async () => {
    const r = await runScenario('setScopePairAsyncContextStrategy twice');
    expectClean(r);
    expect(r.checks).toEqual({
      sameStorage: true,
      inFlightEnded: 1,
      inFlightCallbackInCaller: 'pending caller',
      active: true,
      ended: 1,
    });
  });

  for (const otel of [false, true]) {
    const scenario = otel ? 'scope pair, then Sentry.init with OpenTelemetry setup' : 'scope pair, then Sentry.init';
    it(`traceCallback ok, ${scenario}: Sentry adopts the storage; work begun before init and in-flight callbacks do not throw; active after init`, async () => {
      const r = await runScenario(scenario);
      expectClean(r);
      expect(r.checks).toEqual({
        scopePairActive: true,
        sentryAdoptedTheScopePairStorage: true,
        inFlightEnded: 1,
        inFlightCallbackStoreIsScopePairPair: false,
        requestFromBefore: { name: 'request from before' },
        naturalCallback: { ran: true },
        afterInitActive: true,
        afterInitChildParentIsBound: true,
        afterInitEnded: 1,
      });
    });
  }

  it('traceCallback ok, a store of one strategy is never read by another: the continuation under B never gets A’s caller store', async () => {
    const r = await runScenario('a store of one strategy is never read by another');
    expectClean(r);
    expect(r.checks).toEqual({
      callbackStore: null,
      storeInsideUnderB: { brand: 'B' },
      spansEnded: [1, 1],
    });
  });
});
