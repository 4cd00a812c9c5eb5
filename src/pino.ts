/**
 * `tracing-channel-span/pino`: pino lines as Sentry logs, carrying the active trace and span,
 * from the tracing channel pino publishes.
 */
export { instrumentPino } from './integrations/pino/instrument';
export type { PinoInstrumentation } from './integrations/pino/instrument';
export { PINO_TRACING_CHANNEL } from './integrations/pino/channels';
export { DEFAULT_PINO_LEVELS } from './integrations/pino/options';
export type { PinoInstrumentationOptions, ResolvedPinoOptions } from './integrations/pino/options';
