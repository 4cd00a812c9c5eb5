/**
 * The benchmark cases: for each trace kind, one runner per case that performs `n` calls of the
 * same tiny function, either directly (`baseline`), traced on a channel with nothing bound, with
 * the least binding machinery (`als-floor`), with the span work but no channel (`span-floor`), or
 * through a span binding (ours, ours with `getSpan` returning `undefined`, Sentry's anchor); the
 * courier and unsampled cases come from `courier-cases.ts`.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { tracingChannel } from 'node:diagnostics_channel';
import type { TracingChannel } from 'node:diagnostics_channel';
import { startInactiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { addCourierCases } from './courier-cases';

/** How a traced call completes. */
export type TraceKind = 'traceSync' | 'tracePromise' | 'traceCallback';
/** The cases, in the order reports list them. */
export type CaseName =
  | 'baseline'
  | 'no-subscribers'
  | 'als-floor'
  | 'span-floor'
  | 'ours'
  | 'ours-skip'
  | 'anchor'
  | 'courier'
  | 'anchor-courier'
  | 'ours-unsampled'
  | 'anchor-unsampled'
  | 'ours-sampled-only';

/** Every trace kind, in report order. */
export const TRACE_KINDS: readonly TraceKind[] = ['traceSync', 'tracePromise', 'traceCallback'];
/** Every case, in report order. */
export const CASE_NAMES: readonly CaseName[] = [
  'baseline',
  'no-subscribers',
  'als-floor',
  'span-floor',
  'ours',
  'ours-skip',
  'anchor',
  'courier',
  'anchor-courier',
  'ours-unsampled',
  'anchor-unsampled',
  'ours-sampled-only',
];

/** Runs `n` calls; sync kinds return nothing, async kinds resolve after the last call completed. */
export type CaseRunner = (n: number) => void | Promise<void>;

/** A `bindTracingChannelToSpan` of either implementation, reduced to what the benchmark calls. */
export type BindToSpan = (
  channel: TracingChannel<object>,
  getSpan: (data: object) => Span | undefined,
  options?: { sampledOnly?: boolean },
) => { unbind(): void };

type Callback = (error: unknown, value?: number) => void;
type Data = Record<string, unknown>;

let sink = 0;

function work(): number {
  return ++sink;
}

async function workAsync(): Promise<number> {
  return ++sink;
}

function workCallback(callback: Callback): void {
  const value = ++sink;
  queueMicrotask(() => callback(null, value));
}

/** The `getSpan` every span-making case shares: an inactive child of the active root span. */
export function benchGetSpan(): Span {
  return startInactiveSpan({ name: 'bench.call', op: 'bench' });
}

function noop(): void {}

let channelSeq = 0;
export function freshChannel(label: string): TracingChannel<object> {
  return tracingChannel(`bench:${label}:${process.pid}:${channelSeq++}`) as TracingChannel<object>;
}

export function syncLoop(call: () => void): CaseRunner {
  return (n) => {
    for (let i = 0; i < n; i++) call();
  };
}

export function promiseLoop(call: () => Promise<unknown>): CaseRunner {
  return async (n) => {
    for (let i = 0; i < n; i++) await call();
  };
}

/** Calls `call(next)` n times in a chain: each call starts from the previous call's callback. */
export function callbackLoop(call: (next: Callback) => void): CaseRunner {
  return (n) =>
    new Promise<void>((resolve) => {
      let left = n;
      const next: Callback = () => {
        if (left-- === 0) resolve();
        else call(next);
      };
      next(null);
    });
}

export function tracedRunners(channel: TracingChannel<object>): Record<TraceKind, CaseRunner> {
  return {
    traceSync: syncLoop(() => channel.traceSync(work, {} as Data)),
    tracePromise: promiseLoop(() => channel.tracePromise(workAsync, {} as Data)),
    traceCallback: callbackLoop((next) => channel.traceCallback(workCallback, -1, {} as Data, undefined, next)),
  };
}

/** What building the cases needs. A missing implementation leaves its cases out. */
export interface CaseInputs {
  asyncLocalStorage: AsyncLocalStorage<unknown>;
  ours?: BindToSpan;
  anchor?: BindToSpan;
  /** Reasons for cases left out are appended here. */
  missing: string[];
}

/** The runners per case and kind, plus a teardown that unbinds everything. */
export interface CaseSet {
  runners: Map<CaseName, Record<TraceKind, CaseRunner>>;
  dispose(): void;
}

/** Builds every case on its own channel. */
export function buildCases({ asyncLocalStorage, ours, anchor, missing }: CaseInputs): CaseSet {
  const runners = new Map<CaseName, Record<TraceKind, CaseRunner>>();
  const teardown: Array<() => void> = [];

  runners.set('baseline', {
    traceSync: syncLoop(work),
    tracePromise: promiseLoop(workAsync),
    traceCallback: callbackLoop(workCallback),
  });

  runners.set('no-subscribers', tracedRunners(freshChannel('none')));

  const alsChannel = freshChannel('als');
  const identity = (): object => asyncLocalStorage.getStore() as object;
  // Only end/asyncEnd/error: Node's types want all five, the runtime takes any subset.
  const noopSubscribers = { end: noop, asyncEnd: noop, error: noop } as unknown as Parameters<typeof alsChannel.subscribe>[0];
  const storage = asyncLocalStorage as AsyncLocalStorage<object>;
  alsChannel.start.bindStore(storage, identity);
  alsChannel.subscribe(noopSubscribers);
  teardown.push(() => {
    alsChannel.unsubscribe(noopSubscribers);
    alsChannel.start.unbindStore(storage);
  });
  runners.set('als-floor', tracedRunners(alsChannel));

  runners.set('span-floor', {
    traceSync: syncLoop(() => {
      const span = benchGetSpan();
      work();
      span.end();
    }),
    tracePromise: promiseLoop(async () => {
      const span = benchGetSpan();
      await workAsync();
      span.end();
    }),
    traceCallback: callbackLoop((next) => {
      const span = benchGetSpan();
      workCallback((error, value) => {
        span.end();
        next(error, value);
      });
    }),
  });

  const bound: Array<[CaseName, BindToSpan | undefined, (data: object) => Span | undefined]> = [
    ['ours', ours, benchGetSpan],
    ['ours-skip', ours, () => undefined],
    ['anchor', anchor, benchGetSpan],
  ];
  for (const [name, bind, getSpan] of bound) {
    if (!bind) continue;
    const channel = freshChannel(name);
    const handle = bind(channel, getSpan);
    teardown.push(() => handle.unbind());
    runners.set(name, tracedRunners(channel));
  }
  teardown.push(...addCourierCases(runners, { ours, anchor, missing }));

  return {
    runners,
    dispose: () => {
      for (const fn of teardown.splice(0)) fn();
    },
  };
}
