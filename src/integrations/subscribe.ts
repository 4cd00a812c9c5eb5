/** Plain subscribers for integrations: one sub-channel of a tracing channel, every call guarded. */
import { guard, logDebug } from '../core/guard';
import { getDiagnosticsChannel } from '../core/node-builtins';

/**
 * Subscribes `handler` to the `event` sub-channel of tracing channel `name` (a throw is logged,
 * never re-thrown) and returns the unsubscribe. Where `node:diagnostics_channel` is missing: a
 * debug line naming `fn`, and a no-op.
 */
export function subscribeGuarded<TData>(
  fn: string,
  name: string,
  event: 'start' | 'end' | 'error',
  handler: (data: TData) => void,
): () => void {
  const dc = getDiagnosticsChannel();
  if (!dc) {
    logDebug(`${fn}: node:diagnostics_channel is not available here; \`${name}\` is not traced`);
    return () => undefined;
  }
  const channel = dc.tracingChannel(name)[event];
  const onMessage = (message: unknown): void => {
    guard(fn, handler, message as TData, undefined);
  };
  channel.subscribe(onMessage);
  return () => channel.unsubscribe(onMessage);
}
