/** `tracePromise`: trace a call that returns a promise or any thenable. */
import { callOrPublishThrow, publishCall, type CallRunner } from './call';
import { recordResult } from './payload';
import { watchSettlement } from './settlement';
import type { ChannelRef } from './types';

/** The `then` of `value` when it is a thenable (read once), otherwise `undefined`. */
function thenOf(value: unknown): ((...args: unknown[]) => unknown) | undefined {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return undefined;
  const then = (value as { then?: unknown }).then;
  return typeof then === 'function' ? (then as (...args: unknown[]) => unknown) : undefined;
}

/**
 * The traced call itself, run inside `start.runStores`. A thenable result: start → end (no
 * `result`) → later asyncStart/asyncEnd. A plain value: start → end{result}, as Node 26 does.
 */
export const runPromiseCall: CallRunner = (channel, fn, context, thisArg, args) => {
  const result = callOrPublishThrow(channel, fn, context, thisArg, args);
  let then: ((...args: unknown[]) => unknown) | undefined;
  try {
    then = thenOf(result);
  } catch {
    then = undefined; // a throwing `then` getter: not something we can observe; treat as a value
  }
  if (then === undefined) {
    recordResult(context, result);
    channel.end.publish(context);
    return result;
  }
  const afterEnd = watchSettlement(channel, context, result as object, then);
  channel.end.publish(context);
  afterEnd();
  return result;
};

/**
 * Calls `fn` with `thisArg` and `args` as a traced asynchronous operation on `channel` (a
 * TracingChannel or its name) and returns **exactly what `fn` returned**: the same promise,
 * promise subclass or thenable object (never a wrapper), on every Node version 20–26.
 *
 * Subscribers see `start`, `end` (without `result`), then, once the thenable settles,
 * `asyncStart` and `asyncEnd` with `result`, or `error`, `asyncStart`, `asyncEnd` with `error`.
 * A synchronous throw gives `start`, `error`, `end` and is re-thrown. A non-thenable return
 * value is passed through and completes at `end` with `result` (Node 26's behaviour; Node 20–25
 * would have wrapped it in a promise). Stores bound with `start.bindStore` are active inside `fn`.
 *
 * To observe settlement, `then` of the returned object is called once (for a native promise, the
 * built-in `Promise.prototype.then`, as `await` would), with callbacks that never throw. So a
 * rejection the caller handles is never also reported as `unhandledRejection` because of tracing.
 * The flip side: while someone subscribes, a native promise the caller drops without any handler
 * is marked handled by that observation and no longer raises `unhandledRejection` itself (a
 * caller that awaits it still gets the rejection, and an unhandled promise derived from it is
 * still reported). Subscribers always see the `error`.
 *
 * Nobody subscribed, or no `node:diagnostics_channel` in this runtime: a plain call, nothing
 * allocated, `then` not touched. `context` defaults to a fresh object per call.
 */
export function tracePromise<This, Args extends unknown[], Result>(
  channel: ChannelRef,
  fn: (this: This, ...args: Args) => Result,
  context?: object | null,
  thisArg?: This,
  ...args: Args
): Result {
  return publishCall(channel, runPromiseCall, fn as never, context, thisArg, args) as Result;
}
