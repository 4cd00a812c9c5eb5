/**
 * `tracing-channel-span/graphql`: spans for graphql 17 operations, parsing, validation and
 * (optionally) resolvers, from the tracing channels graphql publishes.
 */
export { instrumentGraphql } from './integrations/graphql/instrument';
export type { GraphqlInstrumentation } from './integrations/graphql/instrument';
export { GRAPHQL_TRACING_CHANNELS } from './integrations/graphql/channels';
export type { GraphqlInstrumentationOptions, GraphqlResolverSpans, ResolvedGraphqlOptions } from './integrations/graphql/options';
