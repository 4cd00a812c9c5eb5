/**
 * Names of the spans and attributes this integration writes: OpenTelemetry HTTP semantic
 * conventions plus Sentry's `sentry.op` / `sentry.origin` / name-source keys.
 */
export { NAME_SOURCE_KEY } from '../../sentry-internals/exports';

/** `sentry.origin` of every span made here. */
export const NITRO_ORIGIN = 'auto.http.tracing_channel_span.nitro';

/** `sentry.op` of the request's server span. */
export { OP_HTTP_SERVER } from '../http-server';
/** `sentry.op` of a span for one middleware of `serve({ middleware })`. */
export const OP_SRVX_MIDDLEWARE = 'middleware.srvx';
/** `sentry.op` of a span for one h3 middleware (`app.use`). */
export const OP_H3_MIDDLEWARE = 'middleware.h3';
/** `sentry.op` of a span for the matched h3 route handler. */
export const OP_H3_ROUTE = 'request_handler.h3';

/** Exception mechanism of errors reported by this integration. */
export const NITRO_MECHANISM = 'auto.http.tracing_channel_span.nitro';
