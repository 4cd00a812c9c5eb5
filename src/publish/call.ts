/** The synchronous part every traced call shares. */
import { recordError } from './payload';
import type { PublishTracingChannel } from './types';

/**
 * Calls `fn`; when it throws synchronously, records the error, publishes `error` then `end`, and
 * re-throws it unchanged. Runs inside `start.runStores`.
 */
export function callOrPublishThrow(
  channel: PublishTracingChannel,
  fn: (...args: unknown[]) => unknown,
  context: object,
  thisArg: unknown,
  args: unknown[],
): unknown {
  try {
    return Reflect.apply(fn, thisArg, args);
  } catch (error) {
    recordError(context, error);
    channel.error.publish(context);
    channel.end.publish(context);
    throw error;
  }
}
