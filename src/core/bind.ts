/** The public binding functions: argument checks, then registration on the channel's hub. */
import type { TracingChannel } from 'node:diagnostics_channel';
import { entriesOf } from './call-registry';
import { ChannelHub } from './channel-hub';
import { getDiagnosticsChannel } from './node-builtins';
import { logDebug } from './guard';
import type { BindingRecord, BindOptions, ChannelBinding, GetSpan } from './types';

const DEFAULT_DEFER_TIMEOUT_MS = 300_000;
const MAX_TIMER_MS = 2_147_483_647;
const SUB_CHANNELS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

function isTracingChannel(value: unknown): value is TracingChannel<unknown, object> {
  if (typeof value !== 'object' || value === null) return false;
  return SUB_CHANNELS.every((name) => {
    const sub = (value as Record<string, { subscribe?: unknown; bindStore?: unknown }>)[name];
    return typeof sub === 'object' && sub !== null && typeof sub.subscribe === 'function' && typeof sub.bindStore === 'function';
  });
}

/** A channel argument as a TracingChannel; `undefined` where diagnostics_channel is missing. */
function resolveChannel(fn: string, channel: unknown): TracingChannel<unknown, object> | undefined {
  if (typeof channel === 'string') {
    if (channel.length === 0) throw new TypeError(`${fn}: \`channel\` must be a non-empty channel name`);
    const dc = getDiagnosticsChannel();
    return dc ? (dc.tracingChannel(channel) as TracingChannel<unknown, object>) : undefined;
  }
  if (isTracingChannel(channel)) return channel;
  throw new TypeError(`${fn}: \`channel\` must be a TracingChannel or a channel name, got ${describe(channel)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object that is not a TracingChannel' : typeof value;
}

function checkOptions(fn: string, options: unknown): BindOptions<object> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${fn}: \`options\` must be an object, got ${describe(options)}`);
  }
  const o = options as BindOptions<object>;
  for (const key of ['beforeSpanEnd', 'deferSpanEnd', 'isComplete'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new TypeError(`${fn}: \`options.${key}\` must be a function, got ${describe(o[key])}`);
    }
  }
  if (o.captureError !== undefined && typeof o.captureError !== 'boolean' && typeof o.captureError !== 'function') {
    throw new TypeError(`${fn}: \`options.captureError\` must be a boolean or a function, got ${describe(o.captureError)}`);
  }
  if (o.sampledOnly !== undefined && typeof o.sampledOnly !== 'boolean') {
    throw new TypeError(`${fn}: \`options.sampledOnly\` must be a boolean, got ${describe(o.sampledOnly)}`);
  }
  if (
    o.deferTimeoutMs !== undefined &&
    (typeof o.deferTimeoutMs !== 'number' || !(o.deferTimeoutMs >= 0) || o.deferTimeoutMs === Infinity)
  ) {
    throw new TypeError(`${fn}: \`options.deferTimeoutMs\` must be a finite number >= 0, got ${String(o.deferTimeoutMs)}`);
  }
  return o;
}

function noopBinding<TData extends object>(channel: unknown): ChannelBinding<TData> {
  return {
    channel: channel as TracingChannel<unknown, TData>,
    getSpan: () => undefined,
    unbind: () => undefined,
    [Symbol.dispose]: () => undefined,
  } as unknown as ChannelBinding<TData>;
}

function bind<TData extends object>(
  fn: string,
  channelArg: TracingChannel<unknown, TData> | string,
  getSpan: GetSpan<TData>,
  lifecycle: BindOptions<object> | undefined,
): ChannelBinding<TData> {
  const channel = resolveChannel(fn, channelArg);
  if (typeof getSpan !== 'function') {
    throw new TypeError(`${fn}: \`getSpan\` must be a function, got ${describe(getSpan)}`);
  }
  if (!channel) {
    logDebug(`${fn}: node:diagnostics_channel is not available here; the binding does nothing`);
    return noopBinding(channelArg);
  }
  const hub = ChannelHub.of(channel);
  const deferTimeoutMs = Math.min(lifecycle?.deferTimeoutMs ?? DEFAULT_DEFER_TIMEOUT_MS, MAX_TIMER_MS);
  const record: BindingRecord = {
    getSpan: getSpan as (data: object) => unknown,
    lifecycle,
    deferTimeoutMs,
    sampledOnly: lifecycle?.sampledOnly === true,
    active: true,
    onSettled: () => hub.settle(),
  };
  hub.add(record);
  let unbound = false;
  const handle = {
    channel: channel as unknown as TracingChannel<unknown, TData>,
    getSpan(data: TData) {
      for (let entry = entriesOf(data); entry; entry = entry.next) {
        if (entry.binding === record) return entry.span;
      }
      return undefined;
    },
    unbind() {
      if (unbound) return;
      unbound = true;
      hub.remove(record);
    },
    [Symbol.dispose]() {
      handle.unbind();
    },
  };
  return handle as unknown as ChannelBinding<TData>;
}

/**
 * Makes the span `getSpan` returns for each traced call the active span inside that call (and
 * everything it schedules), and ends it exactly once when the call completes: on `end` for
 * synchronous completion, on `asyncEnd` for promises and callbacks, or through `deferSpanEnd`.
 * Errors mark the span; `captureError` also reports them. Several bindings on one channel nest
 * in the order they were made.
 *
 * Throws a `TypeError` at bind time for a bad `channel`, `getSpan` or option; never afterwards.
 * Where `node:diagnostics_channel` is missing it returns a handle that does nothing.
 *
 * @example
 * bindTracingChannelToSpan('mylib.query', (data) =>
 *   startInactiveSpan({ name: 'query', op: 'db' }), { captureError: true });
 */
export function bindTracingChannelToSpan<TData extends object>(
  channel: TracingChannel<unknown, TData> | string,
  getSpan: GetSpan<TData>,
  options?: BindOptions<TData>,
): ChannelBinding<TData> {
  const checked = checkOptions('bindTracingChannelToSpan', options);
  return bind('bindTracingChannelToSpan', channel, getSpan, checked);
}

/**
 * Context only: makes the span from `getSpan` active inside each traced call, with no lifecycle.
 * The span is never ended, marked or captured by this binding: use it when you end spans
 * yourself (for example from your own subscribers). Prefer `bindTracingChannelToSpan` otherwise.
 */
export function bindSpanToChannelStore<TData extends object>(
  channel: TracingChannel<unknown, TData> | string,
  getSpan: GetSpan<TData>,
): ChannelBinding<TData> {
  return bind('bindSpanToChannelStore', channel, getSpan, undefined);
}
