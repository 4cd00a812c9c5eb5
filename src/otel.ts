export { setOtelAsyncContextStrategy } from './strategies/otel';
export type { OtelAsyncContextStrategyOptions, SentryOpenTelemetryModule } from './strategies/otel';
