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

/** What a bound span did in one traced call (fixtures/strategy-swap.ts `checkCall`, all three checks). */
const callChecks = (prefix: string) => ({ [`${prefix}Active`]: true, [`${prefix}ChildParentIsBound`]: true, [`${prefix}Ended`]: 1 });

/** Each scenario of the fixture: the test's title, and every check it reports. */
const SCENARIOS: Array<{ scenario: string; title: string; checks: Record<string, unknown> }> = [
  ...['bound before Sentry.init', 'bound before Sentry.init with OpenTelemetry setup'].map((scenario) => ({
    scenario,
    title: `traceSync ok, ${scenario}: span ended but not active before init, active from the first call after it without rebinding`,
    checks: { beforeInitActive: false, beforeInitEnded: 1, ...callChecks('afterInit') },
  })),
  {
    scenario: 'bound after Sentry.init, then Sentry.init again',
    title: 'traceSync ok, bound after Sentry.init, then Sentry.init again: active under both, the storage is kept, an in-flight call ends once',
    checks: {
      ...callChecks('first'),
      reinitKeptStorage: true,
      inFlightEnded: 1,
      // the second init installs a new strategy object: the caller's store from before is not
      // restored for the continuation (it runs in the context it was invoked from)
      inFlightCallbackActive: null,
      ...callChecks('second'),
    },
  },
  {
    scenario: 'setScopePairAsyncContextStrategy twice',
    title: 'traceCallback ok, setScopePairAsyncContextStrategy twice: same storage, the binding and an in-flight call keep working',
    checks: { sameStorage: true, inFlightEnded: 1, inFlightCallbackInCaller: 'pending caller', active: true, ended: 1 },
  },
  ...['scope pair, then Sentry.init', 'scope pair, then Sentry.init with OpenTelemetry setup'].map((scenario) => ({
    scenario,
    title: `traceCallback ok, ${scenario}: Sentry adopts the storage; work begun before init and in-flight callbacks do not throw; active after init`,
    checks: {
      scopePairActive: true,
      sentryAdoptedTheScopePairStorage: true,
      inFlightEnded: 1,
      inFlightCallbackStoreIsScopePairPair: false,
      requestFromBefore: { name: 'request from before' },
      naturalCallback: { ran: true },
      ...callChecks('afterInit'),
    },
  })),
  {
    scenario: 'a store of one strategy is never read by another',
    title: 'traceCallback ok, a store of one strategy is never read by another: the continuation under B never gets A’s caller store',
    checks: { callbackStore: null, storeInsideUnderB: { brand: 'B' }, spansEnded: [1, 1] },
  },
];

describe('strategy swaps (child processes)', () => {
  for (const { scenario, title, checks } of SCENARIOS) {
    it(title, async () => {
      const r = await runScenario(scenario);
      expectClean(r);
      expect(r.checks).toEqual(checks);
    });
  }
});
