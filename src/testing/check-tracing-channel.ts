/** `checkTracingChannel`: subscribe, let the library publish, judge what it published. */
import { getDiagnosticsChannel } from '../core/node-builtins';
import { CallLog, type CallRecord, type TraceEvent } from './call-log';
import { StoreProbe } from './store-probe';
import type {
  CheckableSubChannel,
  CheckableTracingChannel,
  CheckTracingChannelOptions,
  TracingChannelCheck,
} from './types';

const EVENTS: readonly TraceEvent[] = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];
const DEFAULT_SETTLE_MS = 100;
type Listener = (message: unknown, name: string | symbol) => void;

function resolveChannel(channel: CheckableTracingChannel | string): CheckableTracingChannel {
  if (typeof channel === 'string') {
    const dc = getDiagnosticsChannel();
    if (dc === undefined) throw new TypeError('checkTracingChannel: this runtime has no node:diagnostics_channel');
    return dc.tracingChannel(channel) as unknown as CheckableTracingChannel;
  }
  if (typeof channel === 'object' && channel !== null && EVENTS.every((e) => typeof channel[e]?.subscribe === 'function')) {
    return channel;
  }
  throw new TypeError(
    `checkTracingChannel: "channel" must be a TracingChannel or a channel name, got ${channel === null ? 'null' : typeof channel}`,
  );
}

/** `tracing:mylib.query:start` → `mylib.query`; the given name as is. */
function displayName(channel: CheckableTracingChannel | string, resolved: CheckableTracingChannel): string {
  if (typeof channel === 'string') return channel;
  const name = resolved.start.name;
  if (typeof name !== 'string') return String(name ?? 'tracing channel');
  const match = /^tracing:(.*):start$/.exec(name);
  return match ? match[1]! : name;
}

/** The checker's subscribers: they record, and never throw (a throwing subscriber kills the process). */
function listeners(log: CallLog, probe: StoreProbe, onEvent: () => void): Record<TraceEvent, Listener> {
  const handle = (event: TraceEvent, data: unknown): void => {
    if ((typeof data !== 'object' && typeof data !== 'function') || data === null) {
      log.report(undefined, 'payload-not-object', `a ${event} event with a ${data === null ? 'null' : typeof data} payload: subscribers keep per-call state by payload object`);
      return;
    }
    if (event === 'start') {
      const call = log.start(data);
      if (probe.available && !probe.activeAtStart(data, call)) {
        log.report(call, 'store-not-active', 'a store bound with start.bindStore was not active when start was published: publish start with start.runStores(data, fn) and run the traced function inside it, or no subscriber context (span) is active there');
      }
      return;
    }
    let call: CallRecord | undefined = log.callOf(data, event);
    if (call === undefined) {
      call = probe.activeCall() ?? log.latestOpen(event);
      if (call === undefined) {
        log.report(undefined, 'order', `${event} on a payload object that never had a start`);
        return;
      }
      log.report(call, 'payload-changed', `${event} arrived on a different payload object than start: subscribers keep per-call state by payload object and lose this call (pass the same object to every event of a call)`);
      log.adopt(data, call);
    }
    log.event(call, event as Exclude<TraceEvent, 'start'>, data);
  };
  const make = (event: TraceEvent): Listener => (message) => {
    try {
      handle(event, message);
      onEvent();
    } catch {
      // the checker must never break the library it watches
    }
  };
  return { start: make('start'), end: make('end'), asyncStart: make('asyncStart'), asyncEnd: make('asyncEnd'), error: make('error') };
}

/** Resolves once every call has completed, or after `ms`. */
function settle(log: CallLog, ms: number, wake: { fn: (() => void) | undefined }): Promise<void> {
  if (log.allComplete() || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      wake.fn = undefined;
      resolve();
    };
    const timer = setTimeout(done, ms);
    wake.fn = () => {
      if (log.allComplete()) done();
    };
  });
}

/**
 * Checks that a library publishes `channel` (a TracingChannel or its name) the way subscribers
 * rely on. Subscribes to all five sub-channels and binds a store to `start`, awaits `run()` (your
 * code that makes the library publish: call it, await its results), waits up to `settleMs` for
 * calls still in flight, unsubscribes everything, and resolves to
 * `{ ok, calls, problems: [{ rule, message }] }`.
 *
 * Checked per call (see {@link TracingChannelRule}): its events come in an order Node's own
 * `traceSync` / `tracePromise` / `traceCallback` can produce (Node 20–26), on one payload
 * object; every `start` is followed by `end`; a completed call carries `result` or `error` at
 * `end`, or sends `asyncStart` + `asyncEnd` (otherwise subscribers need `isComplete`); nothing
 * follows `asyncEnd`; an `error` event carries `error`; the store bound to `start` is active
 * when `start` is published and the caller's store is back after the call.
 *
 * Findings never throw: they are in `problems`, each naming the call (`call #0 of "mylib.query"
 * [start → end]`) and the rule. A `channel` that is not a TracingChannel or a name throws a
 * `TypeError` synchronously; an error thrown or rejected by `run` itself rejects the returned
 * promise with that error (after unsubscribing). No Sentry needed; works in any test runner.
 *
 * Not for production: it subscribes, which makes the library do its tracing work.
 */
export function checkTracingChannel(
  channel: CheckableTracingChannel | string,
  run: () => unknown,
  options?: CheckTracingChannelOptions,
): Promise<TracingChannelCheck> {
  const traced = resolveChannel(channel);
  if (typeof run !== 'function') throw new TypeError(`checkTracingChannel: "run" must be a function, got ${typeof run}`);
  const settleMs = options?.settleMs ?? DEFAULT_SETTLE_MS;
  if (typeof settleMs !== 'number' || !(settleMs >= 0)) {
    throw new TypeError(`checkTracingChannel: "options.settleMs" must be a number >= 0, got ${String(settleMs)}`);
  }
  return runCheck(traced, displayName(channel, traced), run, settleMs);
}

async function runCheck(traced: CheckableTracingChannel, name: string, run: () => unknown, settleMs: number): Promise<TracingChannelCheck> {
  const log = new CallLog(name);
  const probe = new StoreProbe();
  const wake: { fn: (() => void) | undefined } = { fn: undefined };
  const subscribers = listeners(log, probe, () => wake.fn?.());
  const subscribed: Array<[CheckableSubChannel, Listener]> = [];
  const notRestored = (when: string): void => {
    if (probe.isOutside()) return;
    const call = probe.activeCall();
    log.report(call, 'store-not-restored', `${when}, the caller still ran in ${call ? 'this call\'s' : 'a foreign'} store instead of its own: the publisher entered a store without restoring it (use start.runStores, never enterWith)`);
  };
  try {
    for (const event of EVENTS) {
      traced[event].subscribe(subscribers[event]);
      subscribed.push([traced[event], subscribers[event]]);
    }
    probe.bind(traced.start);
    await probe.runOutside(async () => {
      const pending = run();
      notRestored('right after run() returned');
      await pending;
      notRestored('after awaiting run()');
    });
    await settle(log, settleMs, wake);
  } finally {
    for (const [sub, listener] of subscribed) {
      try {
        sub.unsubscribe(listener);
      } catch {
        // keep unsubscribing the others
      }
    }
    probe.unbind(traced.start);
  }
  const problems = log.finish();
  return { ok: problems.length === 0, calls: log.calls.length, problems };
}
