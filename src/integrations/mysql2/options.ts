/** Options of `instrumentMysql2()`, validated at setup. */
import { resolveSentryOverlapPolicy, type SentryOverlapPolicy } from '../sentry-overlap';

/** Options of {@link instrumentMysql2}. Every field is optional. */
export interface Mysql2InstrumentationOptions {
  /**
   * Statements and connects make spans only inside an active, recording span (a request, a job,
   * a `startSpan` callback). Default `true`, so pool warm-up, health checks and migrations outside
   * any trace do not become root spans. Set `false` in scripts that have no enclosing span and
   * still want every statement as a trace of its own.
   */
  requireParentSpan?: boolean;
  /**
   * Spans for `mysql2:connect` (a connection's handshake, `db.connect`) and `mysql2:pool:connect`
   * (waiting for a pooled connection, `db.pool.connect`; a new connection's handshake nests inside
   * it). Default `true`; turn it off when only statements matter.
   */
  connectSpans?: boolean;
  /**
   * When Sentry's own `Mysql2` integration (a default of `@sentry/node` 11 with tracing on) traces
   * the same channels: `'take-over'` (default) makes these spans and Sentry's none; `'stand-down'`
   * leaves the statements to Sentry's (`sentry.origin: auto.db.mysql2.native_channel`). Either
   * way each statement is one span and one `console.warn` says which integration owns them.
   * Remove Sentry's (`integrations: (d) => d.filter((i) => i.name !== 'Mysql2')`) to silence it.
   */
  onSentryIntegration?: SentryOverlapPolicy;
}

/** The options in force, with defaults applied. */
export interface ResolvedMysql2Options {
  requireParentSpan: boolean;
  connectSpans: boolean;
  onSentryIntegration: SentryOverlapPolicy;
}

/** Applies defaults; throws a `TypeError` naming the option for a value of the wrong kind. */
export function resolveMysql2Options(options: Mysql2InstrumentationOptions | undefined): ResolvedMysql2Options {
  if (options === undefined) return { requireParentSpan: true, connectSpans: true, onSentryIntegration: 'take-over' };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`instrumentMysql2: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { requireParentSpan = true, connectSpans = true } = options;
  const onSentryIntegration = resolveSentryOverlapPolicy('instrumentMysql2', options.onSentryIntegration);
  for (const [name, value] of [['requireParentSpan', requireParentSpan], ['connectSpans', connectSpans]] as const) {
    if (typeof value !== 'boolean') {
      throw new TypeError(`instrumentMysql2: \`options.${name}\` must be a boolean, got ${typeof value}`);
    }
  }
  return { requireParentSpan, connectSpans, onSentryIntegration };
}
