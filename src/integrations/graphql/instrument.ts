/** `instrumentGraphql()`: binds graphql 17's tracing channels to spans, once per process. */
import { bindTracingChannelToSpan } from '../../index';
import type { ChannelBinding } from '../../index';
import { sampledOnly } from '../bind-options';
import { filterHint, hasSentryIntegration, warnSentryOverlapOnce } from '../sentry-overlap';
import { setupOnce, type InstrumentationHandle } from '../setup-once';
import { subscribeGuarded } from '../subscribe';
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
export type GraphqlInstrumentation = InstrumentationHandle<ResolvedGraphqlOptions>;

const TAKE_OVER_MESSAGE =
  "instrumentGraphql takes over graphql's tracing channels from @sentry/node's own `Graphql` integration " +
  '(both bind the same channels; each operation is traced once, by instrumentGraphql). ' +
  `To keep Sentry's spans instead, do not call instrumentGraphql(); to silence this, ${filterHint(SENTRY_GRAPHQL_INTEGRATION)}.`;

interface Bound {
  name: string;
  make: () => ChannelBinding<object>;
  binding: ChannelBinding<object>;
}

function bindings(options: ResolvedGraphqlOptions, onGetSpan: (data: object) => void): Array<{ name: string; make: () => ChannelBinding<object> }> {
  const { captureErrors, resolvers } = options;
  const captureError = captureErrors ? () => ({ mechanism: GRAPHQL_MECHANISM }) : false;
  const operation = (kind: 'execute' | 'subscribe') => ({
    name: GRAPHQL_TRACING_CHANNELS[kind],
    make: () =>
      bindTracingChannelToSpan<GraphqlOperationPayload>(
        GRAPHQL_TRACING_CHANNELS[kind],
        (data) => (onGetSpan(data), startOperationSpan(kind, data, options)),
        sampledOnly({ captureError, beforeSpanEnd: (span, data) => annotateOperationOutcome(span, data, captureErrors) }),
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
            (data) => (onGetSpan(data), startDocumentSpan('parse', data, options)),
            sampledOnly({}),
          ) as ChannelBinding<object>,
      },
      {
        name: GRAPHQL_TRACING_CHANNELS.validate,
        make: () =>
          bindTracingChannelToSpan<GraphqlDocumentPayload>(
            GRAPHQL_TRACING_CHANNELS.validate,
            (data) => (onGetSpan(data), startDocumentSpan('validate', data, options)),
            sampledOnly({ beforeSpanEnd: annotateValidateOutcome }),
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
          (data) => (onGetSpan(data), startResolveSpan(data, resolvers)),
          // resolver errors land in the operation's result: captured there, at most once
          sampledOnly({}),
        ) as ChannelBinding<object>,
    });
  }
  return list;
}

/**
 * Sentry's `Graphql` integration binds the same channels with the same AsyncLocalStorage, and
 * Node keeps one store transform per channel and storage: the last to bind wins. Ours takes
 * over. A `start` subscriber (it runs after the store transforms) notices a call our transform
 * did not see but Sentry's did (it writes `_sentrySpan` on the payload) and binds ours again;
 * that one call keeps Sentry's span, so it is still traced once.
 */
function watchDisplacement(bound: Bound[], lastSeen: { data: object | undefined }): () => void {
  const stops = bound.map((entry) =>
    subscribeGuarded<object>('instrumentGraphql', entry.name, 'start', (data) => {
      if (lastSeen.data === data || !Object.prototype.hasOwnProperty.call(data, '_sentrySpan')) return;
      warnSentryOverlapOnce('graphql', TAKE_OVER_MESSAGE);
      entry.binding.unbind();
      entry.binding = entry.make();
    }),
  );
  return () => stops.forEach((stop) => stop());
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
 * Idempotent: while active, calling it again returns the same handle (the first options stay; a
 * debug line says so). Throws a `TypeError` naming a bad option; never throws afterwards.
 * Takes over from `@sentry/node`'s own `Graphql` integration (one `console.warn` says so).
 *
 * @example
 * import { instrumentGraphql } from 'tracing-channel-span/graphql';
 * instrumentGraphql({ resolvers: 'custom' });
 */
export function instrumentGraphql(options?: GraphqlInstrumentationOptions): GraphqlInstrumentation {
  const resolved = resolveGraphqlOptions(options);
  return setupOnce('graphql', 'instrumentGraphql', resolved, () => {
    if (hasSentryIntegration(SENTRY_GRAPHQL_INTEGRATION)) warnSentryOverlapOnce('graphql', TAKE_OVER_MESSAGE);
    const lastSeen: { data: object | undefined } = { data: undefined };
    const bound: Bound[] = bindings(resolved, (data) => (lastSeen.data = data)).map((b) => ({ ...b, binding: b.make() }));
    const stopWatch = watchDisplacement(bound, lastSeen);
    return () => {
      stopWatch();
      for (const entry of bound) entry.binding.unbind();
    };
  });
}
