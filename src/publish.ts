/**
 * `tracing-channel-span/publish`: `traceSync`, `tracePromise` and `traceCallback` for library
 * authors who publish TracingChannels. No runtime dependency (not even on the rest of this
 * package); the same behaviour on Node 20–26; a plain call where nothing subscribes or where
 * `node:diagnostics_channel` does not exist.
 */
export { traceSync } from './publish/trace-sync';
export { tracePromise } from './publish/trace-promise';
export { traceCallback } from './publish/trace-callback';
export type { ChannelRef, PublishSubChannel, PublishTracingChannel } from './publish/types';
