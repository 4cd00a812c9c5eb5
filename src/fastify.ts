/**
 * `tracing-channel-span/fastify`: spans for fastify 5 route handlers, under the request's server
 * span, from the tracing channel fastify publishes.
 */
export { instrumentFastify } from './integrations/fastify/instrument';
export type { FastifyInstrumentation } from './integrations/fastify/instrument';
export { FASTIFY_TRACING_CHANNEL } from './integrations/fastify/channels';
export type { FastifyInstrumentationOptions, ResolvedFastifyOptions } from './integrations/fastify/options';
