/** `tracing-channel-span/otel`: the OpenTelemetry Context async-context strategy. */
export { setOtelAsyncContextStrategy } from './context/otel';
export type { OtelAsyncContextStrategyOptions, SentryOpenTelemetryModule } from './context/otel';
