/**
 * `tracing-channel-span/publish`: `traceSync`, `tracePromise` and `traceCallback` for library
 * authors who publish TracingChannels. No dependency outside this package (not even
 * `@sentry/core`: of the rest of the package it uses only `core/node-builtins`); the same
 * behaviour on Node 20–26; a plain call where nothing subscribes or where
 * `node:diagnostics_channel` does not exist.
 */
export { traceSync } from './publish/trace-sync';
export { tracePromise } from './publish/trace-promise';
export { traceCallback } from './publish/trace-callback';
export type { ChannelRef, PublishSubChannel, PublishTracingChannel } from './publish/types';
