/** `instrumentMysql2()`: binds the tracing channels mysql2 (>= 3.20) publishes to spans, once per process. */
import { bindTracingChannelToSpan } from '../../core/bind';
import type { ChannelBinding } from '../../core/types';
import type { SentryOverlapOwner } from '../sentry-overlap';
import { setupArbitrated } from '../setup-once';
import { resolveMysql2Options, type Mysql2InstrumentationOptions, type ResolvedMysql2Options } from './options';
import { annotateSqlFailure } from '../sql/sql-error';
import { MYSQL2_TRACING_CHANNELS } from './channels';
import type { Mysql2Payload } from './payload';
import { startConnectSpan, startStatementSpan } from './spans';

/** The handle `instrumentMysql2()` returns. `using db = instrumentMysql2()` unbinds at scope exit. */
export interface Mysql2Instrumentation extends Disposable {
  /** The options in force, defaults applied. */
  readonly options: Readonly<ResolvedMysql2Options>;
  /** Who makes the mysql2 spans: `'ours'`, or `'sentry'` when this one stood down for Sentry's `Mysql2` integration. */
  readonly owner: SentryOverlapOwner;
  /**
   * Stops making mysql2 spans (idempotent). Spans already started still end when their calls
   * complete. Afterwards `instrumentMysql2()` may be called again, with other options.
   */
  unbind(): void;
}

function bindAll(options: ResolvedMysql2Options): ChannelBinding<Mysql2Payload>[] {
  const { requireParentSpan, connectSpans } = options;
  const lifecycle = { beforeSpanEnd: annotateSqlFailure, captureError: false, sampledOnly: true };
  const bindings = [
    bindTracingChannelToSpan<Mysql2Payload>(MYSQL2_TRACING_CHANNELS.query, (data) => startStatementSpan('query', data, requireParentSpan), lifecycle),
    bindTracingChannelToSpan<Mysql2Payload>(MYSQL2_TRACING_CHANNELS.execute, (data) => startStatementSpan('execute', data, requireParentSpan), lifecycle),
  ];
  if (connectSpans) {
    bindings.push(
      bindTracingChannelToSpan<Mysql2Payload>(MYSQL2_TRACING_CHANNELS.connect, (data) => startConnectSpan('connect', data, requireParentSpan), lifecycle),
      bindTracingChannelToSpan<Mysql2Payload>(MYSQL2_TRACING_CHANNELS.poolConnect, (data) => startConnectSpan('pool', data, requireParentSpan), lifecycle),
    );
  }
  return bindings;
}

/**
 * Turns mysql2 statements into Sentry spans through the tracing channels mysql2 3.20+ publishes
 * (`mysql2:query`, `mysql2:execute`, `mysql2:connect`, `mysql2:pool:connect`). No patching; the
 * driver needs no option. Works for the callback and the promise API, connections and pools.
 *
 * - Each statement is a span with op `db`, named after its text, with `db.system.name: 'mysql'`,
 *   `db.query.text`, `db.operation.name`, `db.namespace`, `server.address`, `server.port`.
 *   `db.query.text` never carries bound values: `execute()` publishes the placeholder text,
 *   which is kept; `query()` publishes the text with the values already pasted in, so every
 *   literal in it becomes `?` (`'SELECT 1 + ?', [41]` gives `SELECT ? + ?`).
 * - A failed statement has error status, `error.type` and `db.response.status_code` (the
 *   server's error number, `'1146'`); it is not reported to Sentry as an error.
 * - `pool.query()`: a `pool connect` span for getting the connection (a new connection's
 *   `connect` nests in it), then the statement span, both children of the caller's span; the
 *   callback runs in the caller's span.
 *
 * Idempotent: calling it again with the same options returns the same handle; with other options
 * it rebinds with the new ones (a debug line says so). Throws a `TypeError` for an option of the
 * wrong kind; never afterwards.
 *
 * With `@sentry/node`, whose default `Mysql2` integration binds the same channels: each
 * statement is still one span, whichever was set up
 * first; see `onSentryIntegration`. One `console.warn` says which integration owns them.
 *
 * @example
 * import { instrumentMysql2 } from 'tracing-channel-span/mysql2';
 * instrumentMysql2(); // or instrumentMysql2({ connectSpans: false })
 */
export function instrumentMysql2(options?: Mysql2InstrumentationOptions): Mysql2Instrumentation {
  const resolved = resolveMysql2Options(options);
  const { query, execute } = MYSQL2_TRACING_CHANNELS;
  return setupArbitrated(
    'mysql2',
    resolved,
    {
      integration: 'instrumentMysql2',
      sentryIntegrations: ['Mysql2'],
      // only the channels bound here: with `connectSpans: false` Sentry's connect spans stay its own
      channels: resolved.connectSpans ? Object.values(MYSQL2_TRACING_CHANNELS) : [query, execute],
      policy: resolved.onSentryIntegration,
    },
    () => bindAll(resolved),
  );
}
