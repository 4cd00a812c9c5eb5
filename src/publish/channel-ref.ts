/**
 * Turns the `channel` argument of the `trace*` functions into a TracingChannel: a name is looked
 * up once and cached, an object is used as given. Depends on nothing but `node-builtins`.
 */
import { getDiagnosticsChannel } from '../core/node-builtins';
import type { ChannelRef, PublishTracingChannel } from './types';

// Names are static in practice (one per traced operation of a library), so the cache stays small.
// Holding the TracingChannel also keeps Node's weakly held sub-channels alive between calls.
const byName = new Map<string, PublishTracingChannel>();

/**
 * The TracingChannel for `channel`, or `undefined` where `node:diagnostics_channel` is missing
 * (the caller then runs the function as a plain call). A value that is neither a string nor an
 * object is a programmer error and throws a `TypeError` naming the argument, whether or not
 * anything subscribes.
 */
export function resolveChannel(channel: ChannelRef): PublishTracingChannel | undefined {
  if (typeof channel === 'string') {
    const cached = byName.get(channel);
    if (cached !== undefined) return cached;
    const dc = getDiagnosticsChannel();
    if (dc === undefined) return undefined;
    const created = dc.tracingChannel(channel) as unknown as PublishTracingChannel;
    byName.set(channel, created);
    return created;
  }
  if (typeof channel === 'object' && channel !== null) return channel;
  throw new TypeError(
    `tracing-channel-span/publish: "channel" must be a TracingChannel or a channel name, got ${channel === null ? 'null' : typeof channel}`,
  );
}
