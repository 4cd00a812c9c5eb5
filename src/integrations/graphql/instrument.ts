/** `instrumentGraphql()`: binds graphql 17's tracing channels to spans, once per process. */
import { bindTracingChannelToSpan } from '../../core/bind';
import type { ChannelBinding } from '../../core/types';
import type { SentryOverlapOwner } from '../sentry-overlap';
import { setupArbitrated, type InstrumentationHandle } from '../setup-once';
import { GRAPHQL_TRACING_CHANNELS, SENTRY_GRAPHQL_INTEGRATION } from './channels';
import { resolveGraphqlOptions, type GraphqlInstrumentationOptions, type ResolvedGraphqlOptions } from './options';
import type { GraphqlDocumentPayload, GraphqlOperationPayload, GraphqlResolvePayload } from './payload';
import {
  GRAPHQL_MECHANISM,
  annotateOperationOutcome,
  annotateValidateOutcome,
  startOperationSpan,
  startDocumentSpan,
  startResolveSpan,
} from './spans';

/** The handle `instrumentGraphql()` returns. `using graphql = instrumentGraphql()` unbinds at scope exit. */
export interface GraphqlInstrumentation extends InstrumentationHandle<ResolvedGraphqlOptions> {
  /** Who makes the graphql spans: `'ours'`, or `'sentry'` when this one stood down for Sentry's `Graphql` integration. */
  readonly owner: SentryOverlapOwner;
}

function bindings(options: ResolvedGraphqlOptions): Array<{ name: string; make: () => ChannelBinding<object> }> {
  const { captureErrors, resolvers } = options;
  const captureError = captureErrors ? () => ({ mechanism: GRAPHQL_MECHANISM }) : false;
  const operation = (kind: 'execute' | 'subscribe') => ({
    name: GRAPHQL_TRACING_CHANNELS[kind],
    make: () =>
      bindTracingChannelToSpan<GraphqlOperationPayload>(
        GRAPHQL_TRACING_CHANNELS[kind],
        (data) => startOperationSpan(kind, data, options),
        { sampledOnly: true, captureError, beforeSpanEnd: (span, data) => annotateOperationOutcome(span, data, captureErrors) },
      ) as ChannelBinding<object>,
  });
  const list: Array<{ name: string; make: () => ChannelBinding<object> }> = [operation('execute'), operation('subscribe')];
  if (options.parseAndValidate) {
    list.push(
      {
        name: GRAPHQL_TRACING_CHANNELS.parse,
        make: () =>
          bindTracingChannelToSpan<GraphqlDocumentPayload>(
            GRAPHQL_TRACING_CHANNELS.parse,
            (data) => startDocumentSpan('parse', data, options),
            { sampledOnly: true },
          ) as ChannelBinding<object>,
      },
      {
        name: GRAPHQL_TRACING_CHANNELS.validate,
        make: () =>
          bindTracingChannelToSpan<GraphqlDocumentPayload>(
            GRAPHQL_TRACING_CHANNELS.validate,
            (data) => startDocumentSpan('validate', data, options),
            { sampledOnly: true, beforeSpanEnd: annotateValidateOutcome },
          ) as ChannelBinding<object>,
      },
    );
  }
  if (resolvers !== 'none') {
    list.push({
      name: GRAPHQL_TRACING_CHANNELS.resolve,
      make: () =>
        bindTracingChannelToSpan<GraphqlResolvePayload>(
          GRAPHQL_TRACING_CHANNELS.resolve,
          (data) => startResolveSpan(data, resolvers),
          // resolver errors land in the operation's result: captured there, at most once
          { sampledOnly: true },
        ) as ChannelBinding<object>,
    });
  }
  return list;
}

/**
 * Turns graphql 17 operations into Sentry spans through the tracing channels graphql publishes
 * (`graphql:execute`, `:subscribe`, `:parse`, `:validate`, `:resolve`). No patching, no schema
 * wrapping. Needs graphql `>=17` (which needs Node `>=22`).
 *
 * - `execute` / `subscribe`: a span named `<operation type> <operation name>` (`query GetUser`),
 *   op `graphql`, with `graphql.operation.type`, `graphql.operation.name` and, only with
 *   `recordDocument: true`, `graphql.document`. A result with `errors` marks it failed.
 * - `parse` / `validate`: spans `graphql.parse` / `graphql.validate` (option `parseAndValidate`,
 *   default `true`); a syntax error or a failed validation marks them failed.
 * - Resolvers (option `resolvers`, default `'none'`): spans named after `graphql.field.path`.
 *
 * Idempotent: calling it again with the same options returns the same handle; with other options
 * it unbinds the first and binds again with the new ones (a debug line says so). Throws a
 * `TypeError` naming a bad option; never throws afterwards.
 * Beside `@sentry/node`'s own `Graphql` integration (a default with tracing on), each operation is
 * still one span, whichever was set up first: see `onSentryIntegration`. One `console.warn` says so.
 *
 * @example
 * import { instrumentGraphql } from 'tracing-channel-span/graphql';
 * instrumentGraphql({ resolvers: 'custom' });
 */
export function instrumentGraphql(options?: GraphqlInstrumentationOptions): GraphqlInstrumentation {
  const resolved = resolveGraphqlOptions(options);
  const makers = bindings(resolved);
  return setupArbitrated(
    'graphql',
    resolved,
    {
      integration: 'instrumentGraphql',
      sentryIntegrations: [SENTRY_GRAPHQL_INTEGRATION],
      channels: makers.map((m) => m.name),
      policy: resolved.onSentryIntegration,
    },
    () => makers.map((m) => m.make()),
  );
}
