/**
 * Property: random sequences of TracingChannel events, published by hand on the sub-channels for
 * several concurrent payloads (duplicates, asyncEnd before end, repeated errors, callbacks twice,
 * restarts of a payload, unbind and rebind in the middle, throwing hooks, deferred ends and their
 * deadline), checked against a model of SPEC §2:
 * - each span ends at most once, and ends iff its call completed (or its deferred end came, or
 *   its defer deadline passed);
 * - beforeSpanEnd runs once per ended span and never for an open one; deferSpanEnd at most once;
 * - a span has error status iff an error reached it while open; at most one capture per call and
 *   binding;
 * - no span is parented across payloads: a call's first span is a child of its caller's span,
 *   later bindings nest inside earlier ones, and a continuation (asyncStart) runs in the caller's
 *   context.
 */
import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import { getActiveSpan, spanToJSON, startInactiveSpan, startSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bindTracingChannelToSpan, setScopePairAsyncContextStrategy, type ChannelBinding } from '../../src/index';
import { installRecordingClient, type Recorder } from '../helpers/test-client';

const DEFER_TIMEOUT_MS = 10;

interface BindingConfig {
  getSpan: 'span' | 'undefined' | 'throw';
  beforeThrows: boolean;
  defer: 'none' | 'false' | 'true' | 'throw';
  capture: 'off' | 'fn' | 'fn-throws';
}

type Op =
  | { t: 'start'; p: number }
  | { t: 'startNested'; outer: number; inner: number }
  | { t: 'end'; p: number; keys: 'none' | 'result' | 'thenable' | 'error' }
  | { t: 'error'; p: number }
  | { t: 'asyncStart'; p: number }
  | { t: 'asyncEnd'; p: number }
  | { t: 'deferEnd'; p: number; withError: boolean }
  | { t: 'unbind'; b: number }
  | { t: 'rebind'; config: BindingConfig }
  | { t: 'advance'; ms: number };

const configArb: fc.Arbitrary<BindingConfig> = fc.record({
  getSpan: fc.constantFrom('span', 'span', 'span', 'undefined', 'throw'),
  beforeThrows: fc.boolean(),
  defer: fc.constantFrom('none', 'none', 'false', 'true', 'true', 'throw'),
  capture: fc.constantFrom('off', 'fn', 'fn-throws'),
});

function opArb(payloads: number): fc.Arbitrary<Op> {
  const p = fc.nat({ max: payloads - 1 });
  return fc.oneof(
    { weight: 4, arbitrary: p.map((p): Op => ({ t: 'start', p })) },
    { weight: 1, arbitrary: fc.tuple(p, p).map(([outer, inner]): Op => ({ t: 'startNested', outer, inner })) },
    { weight: 6, arbitrary: fc.tuple(p, fc.constantFrom('none', 'result', 'thenable', 'error') as fc.Arbitrary<'none'>).map(([p, keys]): Op => ({ t: 'end', p, keys })) },
    { weight: 2, arbitrary: p.map((p): Op => ({ t: 'error', p })) },
    { weight: 2, arbitrary: p.map((p): Op => ({ t: 'asyncStart', p })) },
    { weight: 5, arbitrary: p.map((p): Op => ({ t: 'asyncEnd', p })) },
    { weight: 2, arbitrary: fc.tuple(p, fc.boolean()).map(([p, withError]): Op => ({ t: 'deferEnd', p, withError })) },
    { weight: 1, arbitrary: fc.nat({ max: 3 }).map((b): Op => ({ t: 'unbind', b })) },
    { weight: 1, arbitrary: configArb.map((config): Op => ({ t: 'rebind', config })) },
    { weight: 2, arbitrary: fc.constantFrom(1, 5, 10, 20).map((ms): Op => ({ t: 'advance', ms })) },
  );
}

const scenarioArb = fc.nat({ max: 4 }).chain((extra) =>
  fc.record({
    payloads: fc.constant(extra + 1),
    bindings: fc.array(configArb, { minLength: 1, maxLength: 3 }),
    ops: fc.array(opArb(extra + 1), { minLength: 1, maxLength: 40 }),
  }),
);

/** The model's view of one span: one (call, binding). */
interface ModelEntry {
  span: Span;
  binding: ModelBinding;
  call: ModelCall;
  expectedParent: Span;
  ended: boolean;
  errored: boolean;
  errorMarked: boolean;
  captured: boolean;
  deferred: boolean;
  deadline: number;
  deferEnd: ((error?: unknown) => void) | undefined;
  endedBy: 'call' | 'deferred end' | 'deadline' | undefined;
  deferCalls: number;
  beforeCalls: number;
}

interface ModelCall {
  id: number;
  payload: number;
  callerSpan: Span;
  entries: ModelEntry[];
  completed: boolean;
  activeInside: Span | undefined;
}

interface ModelBinding {
  id: number;
  config: BindingConfig;
  handle: ChannelBinding<object>;
  active: boolean;
  /** captureError function calls, per call id */
  captureCalls: Map<number, number>;
}

let rec: Recorder;
const sharedChannel = tracingChannel(`property:lifecycle:${process.pid}`) as TracingChannel<object>;
const stats = { spans: 0, ended: 0, openAtEnd: 0, deferredEndedByCall: 0, deferredEndedByDeadline: 0, captures: 0, restartedPayloads: 0 };

beforeAll(() => {
  setScopePairAsyncContextStrategy();
  rec = installRecordingClient();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterAll(() => {
  vi.useRealTimers();
});

/** Runs one scenario against the real bindings and the model; returns the violations found. */
function runScenario(scenario: { payloads: number; bindings: BindingConfig[]; ops: Op[] }): string[] {
  const violations: string[] = [];
  // One channel for every scenario (fresh payloads each time): Node 25 aborts the process once
  // about a thousand distinct channel names exist. What a scenario leaves open stays tied to its
  // own payloads, which the next scenario never publishes.
  const channel = sharedChannel;
  const payloads: Array<Record<string, unknown>> = Array.from({ length: scenario.payloads }, () => ({}));
  const current: Array<ModelCall | undefined> = [];
  const calls: ModelCall[] = [];
  const bindings: ModelBinding[] = [];
  const entryOf = new Map<Span, ModelEntry>();
  let now = 0;
  let callSeq = 0;
  let making: ModelCall | undefined;
  let opCall: ModelCall | undefined; // the call the running op acts on (attributes captures)

  function addBinding(config: BindingConfig): void {
    const id = bindings.length;
    const model = {} as ModelBinding;
    const handle = bindTracingChannelToSpan<object>(
      channel,
      () => {
        if (config.getSpan === 'throw') throw new Error('getSpan failed on purpose');
        if (config.getSpan === 'undefined' || !making) return undefined;
        const call = making;
        const parent = call.entries.length > 0 ? call.entries[call.entries.length - 1]!.span : call.callerSpan;
        const span = startInactiveSpan({ name: `call ${call.id} binding ${id}` });
        const entry: ModelEntry = {
          span,
          binding: model,
          call,
          expectedParent: parent,
          ended: false,
          errored: false,
          errorMarked: false,
          captured: false,
          deferred: false,
          deadline: Infinity,
          deferEnd: undefined,
          endedBy: undefined,
          deferCalls: 0,
          beforeCalls: 0,
        };
        call.entries.push(entry);
        entryOf.set(span, entry);
        return span;
      },
      {
        deferTimeoutMs: DEFER_TIMEOUT_MS,
        beforeSpanEnd: (span) => {
          const entry = entryOf.get(span);
          if (entry) entry.beforeCalls++;
          if (config.beforeThrows) throw new Error('beforeSpanEnd failed on purpose');
        },
        deferSpanEnd: config.defer === 'none' ? undefined : ({ span, end }) => {
          const entry = entryOf.get(span);
          if (entry) {
            entry.deferCalls++;
            entry.deferEnd = end;
          }
          if (config.defer === 'throw') throw new Error('deferSpanEnd failed on purpose');
          return config.defer === 'true';
        },
        captureError:
          config.capture === 'off'
            ? false
            : () => {
                const id = opCall?.id ?? -1;
                model.captureCalls.set(id, (model.captureCalls.get(id) ?? 0) + 1);
                if (config.capture === 'fn-throws') throw new Error('captureError failed on purpose');
                return { tags: { binding: String(id) } };
              },
      },
    );
    Object.assign(model, { id, config, handle, active: true, captureCalls: new Map() });
    bindings.push(model);
  }

  // --- the model's transitions ---
  function markError(entry: ModelEntry): void {
    if (entry.ended) return;
    entry.errored = true;
    entry.errorMarked = true;
    if (entry.binding.config.capture !== 'off' && !entry.captured) entry.captured = true;
  }
  function endEntry(entry: ModelEntry, by: ModelEntry['endedBy']): void {
    entry.ended = true;
    entry.endedBy = by;
    entry.deferred = false;
  }
  function complete(call: ModelCall, hasError: boolean): void {
    if (call.completed) return;
    call.completed = true;
    for (const entry of [...call.entries].reverse()) {
      if (hasError && !entry.errorMarked) markError(entry);
      if (entry.binding.config.defer === 'true') {
        entry.deferred = true;
        entry.deadline = now + DEFER_TIMEOUT_MS;
      } else {
        endEntry(entry, 'call');
      }
    }
  }

  function start(p: number, callerSpan: Span, inside?: (call: ModelCall) => void): void {
    const call: ModelCall = { id: ++callSeq, payload: p, callerSpan, entries: [], completed: false, activeInside: undefined };
    calls.push(call);
    // A start that no binding sees (all unbound) cannot supersede an earlier call on the same
    // payload: the earlier call's spans stay tied to that payload's events.
    const seen = bindings.some((b) => b.active);
    const previous = making;
    making = call;
    try {
      channel.start.runStores(payloads[p]!, () => {
        making = previous;
        if (seen || !current[p]) current[p] = call;
        call.activeInside = getActiveSpan();
        inside?.(call);
      });
    } finally {
      making = previous;
    }
  }

  function innermost(call: ModelCall): Span {
    return call.entries.length > 0 ? call.entries[call.entries.length - 1]!.span : call.callerSpan;
  }

  startSpan({ name: 'root' }, (root) => {
    for (const config of scenario.bindings) addBinding(config);
    for (const op of scenario.ops) {
      switch (op.t) {
        case 'start':
          start(op.p, root);
          break;
        case 'startNested':
          start(op.outer, root, (outer) => start(op.inner, innermost(outer)));
          break;
        case 'end': {
          const data = payloads[op.p]!;
          const call = (opCall = current[op.p]);
          if (op.keys === 'result') data.result = 42;
          if (op.keys === 'thenable') data.result = { then() {} };
          if (op.keys === 'error') data.error = new Error(`end error of payload ${op.p}`);
          channel.end.publish(data);
          const hasError = Object.hasOwn(data, 'error');
          const result = data.result as { then?: unknown } | undefined;
          const syncResult = Object.hasOwn(data, 'result') && !(typeof result === 'object' && result !== null && typeof result.then === 'function');
          if (call && (hasError || syncResult)) complete(call, hasError);
          break;
        }
        case 'error': {
          const data = payloads[op.p]!;
          const call = (opCall = current[op.p]);
          data.error = new Error(`error event of payload ${op.p}`);
          channel.error.publish(data);
          if (call) for (const entry of call.entries) markError(entry);
          break;
        }
        case 'asyncStart': {
          const call = current[op.p];
          let active: Span | undefined;
          channel.asyncStart.runStores(payloads[op.p]!, () => {
            active = getActiveSpan();
          });
          // an asyncStart after the call completed and its spans ended (a callback invoked again):
          // the call's state may be gone (SPEC §2: getSpan may answer undefined once the span has
          // ended), so the continuation runs in the caller's context or in the one it is published in
          const finished = call !== undefined && call.completed && call.entries.every((entry) => entry.ended);
          if (finished && active === root) break;
          if (call && call.entries.length > 0 && channel.asyncStart.hasSubscribers) {
            if (active !== call.callerSpan) {
              violations.push(`asyncStart of call ${call.id}: continuation ran in ${nameOf(active)}, not in the caller's ${nameOf(call.callerSpan)}`);
            }
          } else if (active !== root) {
            // a call that made no span leaves the context as it is (here: the root span)
            violations.push(`asyncStart of payload ${op.p} (call ${call?.id}, no span of its own): continuation ran in ${nameOf(active)}, not in the current ${nameOf(root)}`);
          }
          break;
        }
        case 'asyncEnd': {
          const data = payloads[op.p]!;
          const call = (opCall = current[op.p]);
          channel.asyncEnd.publish(data);
          if (call) complete(call, Object.hasOwn(data, 'error'));
          break;
        }
        case 'deferEnd': {
          const call = (opCall = current[op.p]);
          if (!call) break;
          for (const entry of call.entries) {
            if (!entry.deferEnd) continue;
            const error = op.withError ? new Error(`deferred end error of call ${call.id}`) : undefined;
            const wasDeferred = entry.deferred && !entry.ended;
            entry.deferEnd(error);
            if (wasDeferred) {
              if (error) markError(entry);
              endEntry(entry, 'deferred end');
            }
          }
          break;
        }
        case 'unbind': {
          const binding = bindings[op.b];
          if (binding) {
            binding.handle.unbind();
            binding.active = false;
          }
          break;
        }
        case 'rebind':
          addBinding(op.config);
          break;
        case 'advance': {
          opCall = undefined;
          now += op.ms;
          vi.advanceTimersByTime(op.ms);
          for (const entry of entryOf.values()) {
            if (entry.deferred && !entry.ended && entry.deadline <= now) {
              entry.errored = true;
              endEntry(entry, 'deadline');
            }
          }
          break;
        }
      }
      opCall = undefined;
    }
  });

  // --- coverage numbers ---
  for (const entry of entryOf.values()) {
    stats.spans++;
    if (entry.ended) stats.ended++;
    else stats.openAtEnd++;
    if (entry.endedBy === 'deferred end') stats.deferredEndedByCall++;
    if (entry.endedBy === 'deadline') stats.deferredEndedByDeadline++;
    if (entry.captured) stats.captures++;
  }
  stats.restartedPayloads += calls.length - new Set(calls.map((c) => c.payload)).size;

  // --- the invariants ---
  for (const call of calls) {
    const expectedActive = innermost(call);
    if (call.activeInside !== expectedActive) {
      violations.push(`call ${call.id}: active inside was ${nameOf(call.activeInside)}, expected ${nameOf(expectedActive)}`);
    }
    for (const binding of bindings) {
      const captures = binding.captureCalls.get(call.id) ?? 0;
      const entry = call.entries.find((e) => e.binding === binding);
      const expected = entry?.captured ? 1 : 0;
      if (captures !== expected) violations.push(`call ${call.id} binding ${binding.id}: ${captures} captures, expected ${expected}`);
    }
  }
  for (const entry of entryOf.values()) {
    const name = nameOf(entry.span);
    const ends = rec.endCounts.get(entry.span) ?? 0;
    if (ends > 1) violations.push(`${name} ended ${ends} times`);
    if (ends !== (entry.ended ? 1 : 0)) {
      violations.push(`${name} ended ${ends} times, expected ${entry.ended ? 1 : 0} (call completed: ${entry.call.completed}, deferred: ${entry.deferred})`);
    }
    if (entry.beforeCalls !== ends) violations.push(`${name}: beforeSpanEnd ran ${entry.beforeCalls} times for ${ends} ends`);
    const expectedDefer = entry.call.completed && entry.binding.config.defer !== 'none' ? 1 : 0;
    if (entry.deferCalls !== expectedDefer) violations.push(`${name}: deferSpanEnd ran ${entry.deferCalls} times, expected ${expectedDefer}`);
    const status = (spanToJSON(entry.span) as { status?: string }).status;
    if ((status === 'error') !== entry.errored) violations.push(`${name}: status ${status}, expected error: ${entry.errored}`);
    const parent = spanToJSON(entry.span).parent_span_id;
    if (parent !== entry.expectedParent.spanContext().spanId) {
      violations.push(`${name}: parent ${parent}, expected ${nameOf(entry.expectedParent)} (${entry.expectedParent.spanContext().spanId})`);
    }
  }

  // clean up: every binding unbound, every deferred span released by its deadline
  for (const binding of bindings) binding.handle.unbind();
  vi.advanceTimersByTime(DEFER_TIMEOUT_MS);
  rec.reset();
  return violations;
}

function nameOf(span: Span | undefined): string {
  if (!span) return 'no span';
  const json = spanToJSON(span) as { name?: string; description?: string };
  return json.name ?? json.description ?? span.spanContext().spanId;
}

const NUM_RUNS = 2_000;

describe('payload reuse (regression found by the property below)', () => {
  it('traceCallback ok, payload reused by a call that made no span: its callback runs in its own caller, the earlier span stays open', async () => {
    vi.useRealTimers();
    try {
      const channel = tracingChannel(`property:reuse:${process.pid}`) as TracingChannel<object>;
      let makeSpans = true;
      let first: Span | undefined;
      const binding = bindTracingChannelToSpan<object>(channel, () => (makeSpans ? (first = startInactiveSpan({ name: 'first call' })) : undefined));
      const pooled = {};
      // request A: a call that has not completed yet
      startSpan({ name: 'request A' }, () => {
        channel.traceCallback((_cb: () => void) => undefined, -1, pooled, undefined, () => undefined);
      });
      makeSpans = false;
      // request B reuses the pooled payload; its call makes no span
      let activeInCallback: Span | undefined;
      let requestB: Span | undefined;
      await startSpan({ name: 'request B' }, (span) => {
        requestB = span;
        return new Promise<void>((resolve) => {
          channel.traceCallback(
            (cb: (error: unknown, value: unknown) => void) => setImmediate(() => cb(null, 1)),
            -1,
            pooled,
            undefined,
            () => {
              activeInCallback = getActiveSpan();
              resolve();
            },
          );
        });
      });
      binding.unbind();
      expect(nameOf(activeInCallback)).toBe(nameOf(requestB));
      expect(rec.endCounts.get(first!) ?? 0).toBe(0);
    } finally {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      rec.reset();
    }
  });
});

describe('lifecycle property (scope-pair strategy)', () => {
  it('random event sequences on concurrent payloads: spans end at most once, iff their call completed; hooks and captures once; no cross-payload parenting', () => {
    let runs = 0;
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        runs++;
        expect(runScenario(scenario)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
    expect(runs).toBe(NUM_RUNS);
    // what the runs exercised, so that a generator change that stops covering a path shows up here
    console.log(`[property] ${NUM_RUNS} sequences, ${JSON.stringify(stats)}`);
    expect(stats.spans).toBeGreaterThan(NUM_RUNS);
    expect(stats.ended).toBeGreaterThan(0);
    expect(stats.openAtEnd).toBeGreaterThan(0);
    expect(stats.deferredEndedByCall).toBeGreaterThan(0);
    expect(stats.deferredEndedByDeadline).toBeGreaterThan(0);
    expect(stats.captures).toBeGreaterThan(0);
    expect(stats.restartedPayloads).toBeGreaterThan(0);
  });
});
