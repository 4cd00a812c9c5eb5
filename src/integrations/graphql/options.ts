/** Options of `instrumentGraphql()`, validated at setup. */
import { resolveSentryOverlapPolicy, type SentryOverlapPolicy } from '../sentry-overlap';

/** Which resolvers make spans: none, only those with their own `resolve` (not the default field resolver), or all. */
export type GraphqlResolverSpans = 'none' | 'custom' | 'all';

/** Options of {@link instrumentGraphql}. Every field is optional. */
export interface GraphqlInstrumentationOptions {
  /** Spans for `parse` and `validate` too. Default `true`. Set `false` when a document cache makes them noise. */
  parseAndValidate?: boolean;
  /**
   * Resolver spans, from `graphql:resolve`, named after the field path (`user.name`). Default
   * `'none'`: a list of 1,000 objects with 5 fields each would otherwise make 5,000 spans.
   * `'custom'` traces fields with their own `resolve` function, `'all'` every field.
   */
  resolvers?: GraphqlResolverSpans;
  /** Put the query text on the spans as `graphql.document`. Default `false`: documents may carry literal values. */
  recordDocument?: boolean;
  /**
   * Report the errors of an operation's result (and an error `execute` throws) to Sentry, at most
   * once per error. Default `false`: such a result only marks its span as failed, because most
   * GraphQL errors are answers to the client (not found, not allowed).
   */
  captureErrors?: boolean;
  /**
   * What happens beside `@sentry/node`'s own `Graphql` integration (a default with tracing on),
   * which binds the same channels: `'take-over'` (default): this one makes the spans, Sentry's
   * none; `'stand-down'`: Sentry's makes them, this one none. Either way one span per operation,
   * whichever was set up first, and one `console.warn` says which.
   */
  onSentryIntegration?: SentryOverlapPolicy;
}

/** The options in force, with defaults applied. */
export interface ResolvedGraphqlOptions {
  parseAndValidate: boolean;
  resolvers: GraphqlResolverSpans;
  recordDocument: boolean;
  captureErrors: boolean;
  onSentryIntegration: SentryOverlapPolicy;
}

const RESOLVERS: readonly GraphqlResolverSpans[] = ['none', 'custom', 'all'];

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`instrumentGraphql: \`options.${name}\` must be a boolean, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** Applies defaults; throws a `TypeError` naming the option for a value of the wrong kind. */
export function resolveGraphqlOptions(options: GraphqlInstrumentationOptions | undefined): ResolvedGraphqlOptions {
  if (options === undefined) {
    return { parseAndValidate: true, resolvers: 'none', recordDocument: false, captureErrors: false, onSentryIntegration: 'take-over' };
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`instrumentGraphql: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { parseAndValidate = true, resolvers = 'none', recordDocument = false, captureErrors = false } = options;
  if (!RESOLVERS.includes(resolvers)) {
    throw new TypeError(`instrumentGraphql: \`options.resolvers\` must be 'none', 'custom' or 'all', got ${String(resolvers)}`);
  }
  return {
    parseAndValidate: checkBoolean('parseAndValidate', parseAndValidate),
    resolvers,
    recordDocument: checkBoolean('recordDocument', recordDocument),
    captureErrors: checkBoolean('captureErrors', captureErrors),
    onSentryIntegration: resolveSentryOverlapPolicy('instrumentGraphql', options.onSentryIntegration),
  };
}
