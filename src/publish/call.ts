/** What every traced call shares: the entry (resolve, fast path, `start.runStores`) and the sync throw. */
import { hasSubscribers } from './subscribers';
import { resolveChannel } from './channel-ref';
import { recordError } from './payload';
import type { ChannelRef, PublishTracingChannel } from './types';

/** A traced call's body, run inside `start.runStores` with the channel and the call's parts. */
export type CallRunner = (
  channel: PublishTracingChannel,
  fn: (...args: unknown[]) => unknown,
  context: object,
  thisArg: unknown,
  args: unknown[],
) => unknown;

/**
 * Runs `run` as one traced call on `channel`: a plain call when nobody subscribes (or there is no
 * `node:diagnostics_channel`), else inside `start.runStores` with `context` (a fresh object when
 * missing: Node 26 would freeze a shared default one).
 */
export function publishCall(
  channel: ChannelRef,
  run: CallRunner,
  fn: (...args: never[]) => unknown,
  context: object | null | undefined,
  thisArg: unknown,
  args: unknown[],
): unknown {
  const traced = resolveChannel(channel);
  if (traced === undefined || !hasSubscribers(traced)) return Reflect.apply(fn, thisArg, args);
  return runTraced(traced, run, fn, context ?? {}, thisArg, args);
}

/** `run` inside `start.runStores` of a channel that has subscribers. */
export function runTraced(
  traced: PublishTracingChannel,
  run: CallRunner,
  fn: (...args: never[]) => unknown,
  data: object,
  thisArg: unknown,
  args: unknown[],
): unknown {
  return traced.start.runStores(data, run, undefined, traced, fn as (...args: unknown[]) => unknown, data, thisArg, args);
}

/**
 * Calls `fn`; when it throws synchronously, records the error, publishes `error` then `end`, and
 * re-throws it unchanged. Runs inside `start.runStores`.
 */
export const callOrPublishThrow: CallRunner = (channel, fn, context, thisArg, args) => {
  try {
    return Reflect.apply(fn, thisArg, args);
  } catch (error) {
    recordError(context, error);
    channel.error.publish(context);
    channel.end.publish(context);
    throw error;
  }
};
