/** The tracing channels srvx 1 and h3 2 publish (with their `tracingPlugin()`), in one table. */
export const NITRO_TRACING_CHANNELS = {
  /** srvx: one call per request, around the fetch handler. */
  srvxRequest: 'srvx.request',
  /** srvx: one call per middleware of `serve({ middleware })`. */
  srvxMiddleware: 'srvx.middleware',
  /** h3: one call per middleware (`type: 'middleware'`) and per matched route (`type: 'route'`). */
  h3Request: 'h3.request',
} as const;
