/**
 * Watches a thenable returned by a traced function and publishes its settlement
 * (`error` → `asyncStart` → `asyncEnd`, or `asyncStart` → `asyncEnd` with `result`) without
 * changing what the caller sees:
 *
 * - `then` is called exactly once, by us, with two callbacks that never throw; the caller keeps
 *   the original object and calls `then` as often as it would without tracing.
 * - A native promise is observed through the intrinsic `Promise.prototype.then`, like `await`
 *   does. The derived promise that makes always fulfils, so tracing never creates a rejected
 *   promise of its own (no `unhandledRejection` caused by the wrapper).
 * - A thenable that settles synchronously inside `then`, or whose `then` throws (treated as a
 *   rejection, as the Promise resolution procedure does), is published after `end`, so the
 *   order is always start → end → [error →] asyncStart → asyncEnd. Later or repeated calls of
 *   the callbacks are ignored.
 */
import { recordError, recordResult } from './payload';
import type { PublishTracingChannel } from './types';

const PromisePrototype = Promise.prototype;
const promiseThen = PromisePrototype.then;

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
type Outcome = typeof PENDING | typeof FULFILLED | typeof REJECTED;

function publishSettlement(channel: PublishTracingChannel, context: object, outcome: Outcome, value: unknown): void {
  if (outcome === REJECTED) {
    recordError(context, value);
    channel.error.publish(context);
  } else {
    recordResult(context, value);
  }
  channel.asyncStart.publish(context);
  channel.asyncEnd.publish(context);
}

/**
 * Subscribes to `thenable` (whose `then` was already read as `then`) and returns the function
 * to call right after `end` was published; settlement events go out no earlier than that.
 */
export function watchSettlement(
  channel: PublishTracingChannel,
  context: object,
  thenable: object,
  then: (...args: unknown[]) => unknown,
): () => void {
  let ended = false;
  let outcome: Outcome = PENDING;
  let value: unknown;

  const settle = (next: Outcome, settledWith: unknown): void => {
    if (outcome !== PENDING) return;
    outcome = next;
    value = settledWith;
    if (ended) publishSettlement(channel, context, outcome, value);
  };
  const onFulfilled = (result: unknown): void => settle(FULFILLED, result);
  const onRejected = (error: unknown): void => settle(REJECTED, error);

  try {
    if (Object.getPrototypeOf(thenable) === PromisePrototype) {
      Reflect.apply(promiseThen, thenable, [onFulfilled, onRejected]);
    } else {
      Reflect.apply(then, thenable, [onFulfilled, onRejected]);
    }
  } catch (error) {
    settle(REJECTED, error);
  }

  return () => {
    ended = true;
    if (outcome !== PENDING) publishSettlement(channel, context, outcome, value);
  };
}
