/** The tracing channel pino (>=9.10) publishes around turning one log call into its JSON line. */
export const PINO_TRACING_CHANNEL = 'pino_asJson';

/** The name of Sentry's own integration on the same channel (`Sentry.pinoIntegration()`, not a default). */
export const SENTRY_PINO_INTEGRATION = 'Pino';
