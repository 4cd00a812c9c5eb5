/** `traceCallback`: trace a call that reports completion through a Node-style callback. */
import { hasSubscribers } from './subscribers';
import { runTraced, type CallRunner } from './call';
import { resolveChannel } from './channel-ref';
import { recordError, recordResult } from './payload';
import { runPromiseCall } from './trace-promise';
import type { ChannelRef, PublishTracingChannel } from './types';

type AnyFunction = (...args: unknown[]) => unknown;

/** `Array.prototype.at` semantics for `position`: the index in `args`, or -1 when out of range. */
function callbackIndex(position: number | undefined, length: number): number {
  const relative = position === undefined ? -1 : Math.trunc(Number(position)) || 0;
  const index = relative < 0 ? length + relative : relative;
  return index >= 0 && index < length ? index : -1;
}

function runContinuation(
  this: unknown,
  channel: PublishTracingChannel,
  context: object,
  callback: AnyFunction,
  args: ArrayLike<unknown>,
): unknown {
  try {
    return Reflect.apply(callback, this, args);
  } finally {
    channel.asyncEnd.publish(context);
  }
}

/**
 * Wraps the user's callback: records `error` (first argument truthy) or `result` (second
 * argument), then runs the callback inside `asyncStart.runStores` and publishes `asyncEnd` after
 * it. `this`, every argument and the return value pass through unchanged.
 */
function wrapCallback(channel: PublishTracingChannel, context: object, callback: AnyFunction): AnyFunction {
  return function tracedCallback(this: unknown, error: unknown, result: unknown): unknown {
    if (error) {
      recordError(context, error);
      channel.error.publish(context);
    } else {
      recordResult(context, result);
    }
    return channel.asyncStart.runStores(context, runContinuation, this, channel, context, callback, arguments);
  };
}

/** The traced call, run inside `start.runStores`: start → [error →] end; fn's value is returned as-is. */
const runCallbackCall: CallRunner = (channel, fn, context, thisArg, args) => {
  try {
    return Reflect.apply(fn, thisArg, args);
  } catch (error) {
    recordError(context, error);
    channel.error.publish(context);
    throw error;
  } finally {
    channel.end.publish(context);
  }
};

/**
 * Calls `fn` with `thisArg` and `args` as a traced operation on `channel` (a TracingChannel or
 * its name) that completes through the callback found at `args[position]` (`Array.prototype.at`
 * semantics; default `-1`, the last argument). Returns exactly what `fn` returned.
 *
 * Subscribers see `start` and `end` around `fn`, then, when the callback is called, `error` (its
 * first argument is truthy) or `result` (its second argument) recorded, `asyncStart`, the callback
 * itself inside the stores bound with `asyncStart.bindStore`, then `asyncEnd`. A callback invoked
 * synchronously inside `fn` publishes all of that before `end`, as Node does. `fn` receives a
 * wrapper in place of the callback only while someone subscribes; the wrapper forwards `this`, all
 * arguments and the return value.
 *
 * When `args[position]` is not a function (an optional callback left out), the call is traced like
 * {@link tracePromise} instead of throwing as Node's `traceCallback` does: a returned thenable is
 * followed to its settlement, anything else completes at `end`.
 *
 * Nobody subscribed, or no `node:diagnostics_channel`: a plain call, `fn` gets the caller's own
 * callback, nothing allocated. `context` defaults to a fresh object per call (Node 26 would use a
 * frozen shared object and then fail when the callback runs).
 */
export function traceCallback<This, Args extends unknown[], Result>(
  channel: ChannelRef,
  fn: (this: This, ...args: Args) => Result,
  position?: number,
  context?: object | null,
  thisArg?: This,
  ...args: Args
): Result {
  const traced = resolveChannel(channel);
  if (traced === undefined || !hasSubscribers(traced)) return Reflect.apply(fn, thisArg, args);
  const index = callbackIndex(position, args.length);
  const callback = index === -1 ? undefined : args[index];
  const data = context ?? {};
  if (typeof callback !== 'function') return runTraced(traced, runPromiseCall, fn as never, data, thisArg, args) as Result;
  args[index] = wrapCallback(traced, data, callback as AnyFunction);
  return runTraced(traced, runCallbackCall, fn as never, data, thisArg, args) as Result;
}
