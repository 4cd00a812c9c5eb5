/** `traceSync`: trace a synchronous call. */
import { callOrPublishThrow, publishCall, type CallRunner } from './call';
import { recordResult } from './payload';
import type { ChannelRef } from './types';

/** The traced call itself, run inside `start.runStores`: start → end{result} or start → error → end{error}. */
const runSyncCall: CallRunner = (channel, fn, context, thisArg, args) => {
  const result = callOrPublishThrow(channel, fn, context, thisArg, args);
  recordResult(context, result);
  channel.end.publish(context);
  return result;
};

/**
 * Calls `fn` with `thisArg` and `args` as a traced synchronous operation on `channel` (a
 * TracingChannel or its name): subscribers see `start`, then `end` with `result`, or `start`,
 * `error`, `end` with `error` when `fn` throws. Stores bound with `start.bindStore` are active
 * inside `fn`. Returns exactly what `fn` returned and re-throws exactly what it threw.
 *
 * Nobody subscribed, or no `node:diagnostics_channel` in this runtime: a plain call, nothing
 * allocated. `context` defaults to a fresh object per call (`undefined` and `null` alike).
 *
 * Use {@link tracePromise} when `fn` returns a promise (its `end` would otherwise close the
 * operation before the work finishes).
 */
export function traceSync<This, Args extends unknown[], Result>(
  channel: ChannelRef,
  fn: (this: This, ...args: Args) => Result,
  context?: object | null,
  thisArg?: This,
  ...args: Args
): Result {
  return publishCall(channel, runSyncCall, fn as never, context, thisArg, args) as Result;
}
