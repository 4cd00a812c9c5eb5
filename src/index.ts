/**
 * `tracing-channel-span`: turn `node:diagnostics_channel` TracingChannel events into Sentry spans
 * that are active inside the traced call.
 */
export { bindTracingChannelToSpan, bindSpanToChannelStore } from './core/bind';
export { getBoundSpan } from './core/call-registry';
export { enrichBoundSpan } from './core/enrich';
export { createTracingChannelBinding } from './context/tracing-channel-binding';
export { setScopePairAsyncContextStrategy } from './context/scope-pair';
export type { BindOptions, ChannelBinding, GetSpan } from './core/types';
export type { BoundSpanEnrichment } from './core/enrich';
export type { TracingChannelBinding } from './context/tracing-channel-binding';
export type { ScopePair } from './context/scope-pair';
