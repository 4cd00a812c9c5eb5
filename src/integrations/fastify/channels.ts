/** The tracing channel fastify 5 publishes around each route handler (hand-built events; see instrument.ts). */
export const FASTIFY_TRACING_CHANNEL = 'fastify.request.handler';

/** The name of Sentry's own integration for fastify (`@sentry/node` 11, a default integration). */
export const SENTRY_FASTIFY_INTEGRATION = 'Fastify';
