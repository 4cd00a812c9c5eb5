export { bindTracingChannelToSpan, bindSpanToChannelStore } from './binding';
export { getBoundSpan } from './call-state';
export { enrichBoundSpan } from './enrich';
export { createTracingChannelBinding } from './strategies/tracing-channel-binding';
export { setScopePairAsyncContextStrategy } from './strategies/scope-pair';
export type { BindOptions, ChannelBinding, GetSpan } from './types';
export type { BoundSpanEnrichment } from './enrich';
export type { TracingChannelBinding } from './strategies/tracing-channel-binding';
export type { ScopePair } from './strategies/scope-pair';
