/**
 * Fault injection, in child processes: each fixture under ./fixtures runs one group of cases in a
 * fresh `node --import tsx` process (process-wide state such as the async-context strategy and the
 * `uncaughtException` / `unhandledRejection` listeners stays in there), prints one JSON line, and
 * exits by itself. Each case: the traced call's outcome equals the same call without tracing, and
 * nothing reaches `uncaughtException` / `unhandledRejection`; each process exits with code 0.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFixture } from '../helpers/spawn-fixture';
import {
  BASIC_KINDS,
  FROZEN_CONTEXT_CASES,
  HOOK_FAULTS,
  INTEGRATION_CHANNELS,
  INTEGRATION_PAYLOADS,
  KINDS,
  OUTCOMES,
  PAYLOAD_FAULTS,
  STRATEGY_FAULTS,
  hookCaseName,
  integrationCaseName,
  nodeItselfFails,
  payloadCaseName,
  strategyCaseName,
  type CaseResult,
  type FixtureResult,
  type HookFault,
  type StrategyName,
} from './fixtures/cases';

const FIXTURE_TIMEOUT_MS = 120_000;

type FixtureRun = import('../helpers/spawn-fixture').FixtureRun<FixtureResult>;

// at most two fixture processes at once (CI has two cores)
let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnFixture(file: string, args: string[]): Promise<FixtureRun> {
  return runFixture<FixtureResult>(fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url)), { args, timeoutMs: FIXTURE_TIMEOUT_MS - 5_000 });
}

const runs = new Map<string, Promise<FixtureRun>>();
function fixture(file: string, ...args: string[]): Promise<FixtureRun> {
  const key = [file, ...args].join(' ');
  let run = runs.get(key);
  if (!run) {
    run = slot(() => spawnFixture(file, args));
    runs.set(key, run);
  }
  return run;
}

/** Declares the process-level test of one fixture run and returns a lookup of its cases. */
function describeFixture(file: string, args: string[], cases: string[]): (name: string) => CaseResult {
  let run: FixtureRun;
  beforeAll(async () => {
    run = await fixture(file, ...args);
  }, FIXTURE_TIMEOUT_MS);

  it(`${file} ${args.join(' ')} process: exits 0 with one result line covering every case, nothing raised outside a case`, () => {
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.result, run.stderr).toBeDefined();
    expect(run.result!.cases.map((c) => c.name)).toEqual(cases);
    const attributed = run.result!.cases.flatMap((c) => [...c.baselineUncaught, ...c.uncaught]);
    expect(run.result!.uncaught).toEqual(attributed);
    expect(run.result!.unhandled).toEqual(run.result!.cases.flatMap((c) => [...c.baselineUnhandled, ...c.unhandled]));
  });

  return (name) => {
    const found = run.result?.cases.find((c) => c.name === name);
    if (!found) throw new Error(`case not reported by ${file}: ${name}\n${run.stderr}`);
    return found;
  };
}

/** The checks every case shares: same outcome as untraced, nothing raised by the traced run. */
function expectUnharmed(c: CaseResult, options: { sameFaultsAsBaseline?: boolean } = {}): void {
  expect(c.fixtureError).toBeUndefined();
  expect(c.traced).toBeDefined();
  expect(c.traced).toEqual(c.baseline);
  if (options.sameFaultsAsBaseline) {
    expect(c.uncaught).toEqual(c.baselineUncaught);
    expect(c.unhandled).toEqual(c.baselineUnhandled);
  } else {
    expect(c.uncaught).toEqual([]);
    expect(c.unhandled).toEqual([]);
    expect(c.baselineUncaught).toEqual([]);
  }
}

const HOOK_STRATEGIES: StrategyName[] = ['scope-pair', 'otel', 'sentry-node', 'none'];

for (const strategy of HOOK_STRATEGIES) {
  describe(`fault: user hooks throwing (${strategy} strategy)`, () => {
    const names = KINDS.flatMap((kind) => OUTCOMES.flatMap((outcome) => HOOK_FAULTS.map((fault) => hookCaseName(kind, outcome, fault))));
    const get = describeFixture('hooks.ts', [strategy], names);
    for (const kind of KINDS) {
      for (const outcome of OUTCOMES) {
        for (const fault of HOOK_FAULTS) {
          it(hookCaseName(kind, outcome, fault), () => {
            const c = get(hookCaseName(kind, outcome, fault));
            expectUnharmed(c);
            expectHookEffects(c, fault as HookFault, outcome === 'fail', strategy);
          });
        }
      }
    }
  });
}

function expectHookEffects(c: CaseResult, fault: HookFault, fail: boolean, strategy: StrategyName): void {
  const calls = c.hookCalls!;
  expect(calls.getSpan).toBe(1);
  expect(c.extra?.channelIdle).toBe(true);
  if (fault === 'getSpan returns a span whose every method throws') {
    // still a span to the lifecycle: its hooks run once and the error is captured once
    expect(calls.beforeSpanEnd).toBe(1);
    expect(calls.deferSpanEnd).toBe(1);
    expect(c.captures).toBe(fail ? 1 : 0);
    return;
  }
  if (fault.startsWith('getSpan')) {
    expect(c.made).toBe(0);
    expect(c.captures).toBe(0);
    expect(calls.beforeSpanEnd).toBe(0);
    expect(calls.deferSpanEnd).toBe(0);
    return;
  }
  expect(c.made).toBe(1);
  expect(c.endCounts).toEqual([1]);
  expect(calls.beforeSpanEnd).toBe(1);
  expect(calls.deferSpanEnd).toBe(1);
  expect(c.activeInside).toBe(strategy !== 'none');
  if (fault === 'deferSpanEnd defers, then end() is called twice') {
    // the late end(error) marks the span; at most one capture per call whatever the mix
    expect(c.statuses).toEqual(['error']);
    expect(c.captures).toBe(1);
    return;
  }
  expect(c.statuses).toEqual([fail ? 'error' : 'ok']);
  expect(c.captures).toBe(fail ? 1 : 0);
  expect(calls.captureError).toBe(fail ? 1 : 0);
}

describe('fault: strategies with broken tracing-channel bindings', () => {
  const names = STRATEGY_FAULTS.flatMap((fault) => BASIC_KINDS.flatMap((kind) => OUTCOMES.map((outcome) => strategyCaseName(kind, outcome, fault))));
  const get = describeFixture('strategies.ts', [], names);
  for (const fault of STRATEGY_FAULTS) {
    for (const kind of BASIC_KINDS) {
      for (const outcome of OUTCOMES) {
        it(strategyCaseName(kind, outcome, fault), () => {
          const c = get(strategyCaseName(kind, outcome, fault));
          expectUnharmed(c);
          expect(c.made).toBe(1);
          expect(c.activeInside).toBe(false);
          // where Node's own runStores fails the call never runs, so it never completes
          if (!nodeItselfFails(fault)) {
            expect(c.endCounts).toEqual([1]);
            expect(c.statuses).toEqual([outcome === 'fail' ? 'error' : 'ok']);
          } else {
            // a call that Node could not start never completes; where Node's storage copes, it ends once
            expect(c.endCounts).toEqual([c.baseline?.threw ? 0 : 1]);
          }
        });
      }
    }
  }
});

for (const strategy of ['scope-pair', 'sentry-node'] as const) {
  describe(`fault: hostile payloads (${strategy} strategy)`, () => {
    const names = [
      ...PAYLOAD_FAULTS.flatMap((fault) => BASIC_KINDS.flatMap((kind) => OUTCOMES.map((outcome) => payloadCaseName(kind, outcome, fault)))),
      ...FROZEN_CONTEXT_CASES,
    ];
    const get = describeFixture('payloads.ts', [strategy], names);
    for (const fault of PAYLOAD_FAULTS) {
      for (const kind of BASIC_KINDS) {
        for (const outcome of OUTCOMES) {
          it(payloadCaseName(kind, outcome, fault), () => {
            const c = get(payloadCaseName(kind, outcome, fault));
            const viaNode = fault.endsWith("through Node's own trace method");
            expectUnharmed(c, { sameFaultsAsBaseline: viaNode });
            expect(c.made).toBe(1);
            if (viaNode) {
              // Node's own methods fail on the payload (they assign to it): the call never completes
              // for us, so the span stays open (the payload is still reachable here), on Node 20–26
              expect(c.endCounts).toEqual([0]);
            } else if (fault.startsWith('Proxy') && kind === 'traceSync') {
              // a payload whose own keys cannot be read does not say it completed at `end`
              expect(c.endCounts).toEqual([0]);
              expect(c.statuses).toEqual([outcome === 'fail' ? 'error' : 'ok']);
            } else {
              expect(c.endCounts).toEqual([1]);
              expect(c.statuses).toEqual([outcome === 'fail' ? 'error' : 'ok']);
            }
          });
        }
      }
    }

    it(FROZEN_CONTEXT_CASES[0], () => {
      const c = get(FROZEN_CONTEXT_CASES[0]);
      expectUnharmed(c);
      expect(c.made).toBe(2);
      expect(c.extra?.endsBeforeCompletion).toEqual([0, 0]);
      // the second call reuses the payload: the first call's entries are replaced, so its span
      // stays open (the shared payload never becomes garbage); the second ends exactly once
      expect(c.endCounts).toEqual([0, 1]);
    });
    for (const [index, fail] of [
      [1, false],
      [2, true],
    ] as const) {
      it(FROZEN_CONTEXT_CASES[index], () => {
        const c = get(FROZEN_CONTEXT_CASES[index]);
        expectUnharmed(c);
        expect(c.endCounts).toEqual([1]);
        expect(c.statuses).toEqual([fail ? 'error' : 'ok']);
        expect(c.traced!.callbackCalls).toHaveLength(1);
      });
    }
    it(FROZEN_CONTEXT_CASES[3], () => {
      const c = get(FROZEN_CONTEXT_CASES[3]);
      expectUnharmed(c, { sameFaultsAsBaseline: true });
      // Node's own traceCallback completes the call through our subscriber: one end
      expect(c.endCounts).toEqual([1]);
    });
  });
}

for (const strategy of ['scope-pair', 'sentry-node'] as const) {
  describe(`fault: integrations fed hostile payloads (${strategy} strategy)`, () => {
    const names = INTEGRATION_CHANNELS.flatMap((channel) =>
      INTEGRATION_PAYLOADS.flatMap((payload) =>
        BASIC_KINDS.flatMap((kind) => OUTCOMES.map((outcome) => integrationCaseName(channel, kind, outcome, payload))),
      ),
    );
    const get = describeFixture('integrations.ts', [strategy], names);
    for (const channel of INTEGRATION_CHANNELS) {
      for (const payload of INTEGRATION_PAYLOADS) {
        for (const kind of BASIC_KINDS) {
          for (const outcome of OUTCOMES) {
            const name = integrationCaseName(channel, kind, outcome, payload);
            it(name, () => {
              const c = get(name);
              expectUnharmed(c);
              expect(c.extra?.subscribed).toBe(true);
            });
          }
        }
      }
    }
  });
}
