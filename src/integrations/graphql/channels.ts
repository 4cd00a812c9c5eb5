/** The tracing channels graphql 17 publishes (`graphql/diagnostics`). */
export const GRAPHQL_TRACING_CHANNELS = {
  parse: 'graphql:parse',
  validate: 'graphql:validate',
  execute: 'graphql:execute',
  subscribe: 'graphql:subscribe',
  resolve: 'graphql:resolve',
} as const;

/** The name of Sentry's own integration on the same channels (`@sentry/node` 11, a default with tracing on). */
export const SENTRY_GRAPHQL_INTEGRATION = 'Graphql';
