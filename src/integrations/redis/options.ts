import type { BindOptions } from '../../core/types';
import { resolveSentryOverlapPolicy, type SentryOverlapPolicy } from '../sentry-overlap';

/** A Redis client library: `'redis'` is node-redis (`redis` / `@redis/client` v6), `'ioredis'` is ioredis v6. */
export type RedisClientName = 'redis' | 'ioredis';

/**
 * When a connect makes a span:
 * - `'with-parent'` (default): only when the connect runs inside an active, recording span, e.g. a
 *   lazy connect or a reconnect triggered by a request. Connects at startup and background
 *   reconnects make no span, so they never show up as stray root transactions.
 * - `'always'`: every connect, also as a root span of its own.
 * - `'never'`: no connect spans. Commands the client sends while connecting (ioredis: `HELLO`,
 *   `SELECT`, `CLIENT SETINFO`, `INFO`) then follow the command rule and parent to the caller's span.
 */
export type RedisConnectSpans = 'with-parent' | 'always' | 'never';

/** Options of {@link instrumentRedis}. Every field is optional. */
export interface RedisInstrumentationOptions {
  /**
   * Which clients to instrument. Default: both, `['redis', 'ioredis']`. Subscribing to a client
   * that is not installed costs nothing (its channels simply never fire).
   */
  clients?: readonly RedisClientName[];
  /**
   * Commands and batches make spans only inside an active, recording span (a request, a job, a
   * `startSpan` callback). Default `true`, so health checks, startup commands and connection
   * handshakes outside any trace do not become root spans. Set `false` in scripts and workers that
   * have no enclosing span and still want every command as its own trace.
   */
  requireParentSpan?: boolean;
  /** When a connect makes a span; see {@link RedisConnectSpans}. Default `'with-parent'`. */
  connectSpans?: RedisConnectSpans;
  /**
   * Also report failed commands, batches and connects to Sentry as errors (at most once per call).
   * Default `false`: failures only mark their span (status, `error.type`, `db.response.status_code`),
   * because most Redis errors are handled by the application. `true` captures them unhandled; a
   * function returns the hint for one error, as in `bindTracingChannelToSpan`.
   */
  captureError?: BindOptions<object>['captureError'];
  /**
   * When Sentry's own `Redis` integration (a default of `@sentry/node` 11 with tracing on) traces
   * the same channels: `'take-over'` (default) makes these spans and Sentry's none; `'stand-down'`
   * leaves the commands to Sentry's. Either way each command is one span and one `console.warn`
   * says which integration owns them. Remove Sentry's (`integrations: (d) => d.filter((i) =>
   * i.name !== 'Redis')`) to silence the warning.
   */
  onSentryIntegration?: SentryOverlapPolicy;
}

/** The options in force, with defaults applied. */
export interface ResolvedRedisOptions {
  clients: readonly RedisClientName[];
  requireParentSpan: boolean;
  connectSpans: RedisConnectSpans;
  captureError: BindOptions<object>['captureError'];
  onSentryIntegration: SentryOverlapPolicy;
}

const CLIENTS: readonly RedisClientName[] = ['redis', 'ioredis'];
const CONNECT_SPANS: readonly RedisConnectSpans[] = ['with-parent', 'always', 'never'];

/** Applies defaults; throws a `TypeError` naming the option for a value of the wrong kind. */
export function resolveRedisOptions(options: RedisInstrumentationOptions | undefined): ResolvedRedisOptions {
  if (options === undefined) {
    return { clients: CLIENTS, requireParentSpan: true, connectSpans: 'with-parent', captureError: false, onSentryIntegration: 'take-over' };
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`instrumentRedis: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { clients = CLIENTS, requireParentSpan = true, connectSpans = 'with-parent', captureError = false } = options;
  if (!Array.isArray(clients) || clients.some((c) => !CLIENTS.includes(c))) {
    throw new TypeError(`instrumentRedis: \`options.clients\` must be an array of 'redis' and/or 'ioredis'`);
  }
  if (typeof requireParentSpan !== 'boolean') {
    throw new TypeError(`instrumentRedis: \`options.requireParentSpan\` must be a boolean, got ${typeof requireParentSpan}`);
  }
  if (!CONNECT_SPANS.includes(connectSpans)) {
    throw new TypeError(`instrumentRedis: \`options.connectSpans\` must be 'with-parent', 'always' or 'never'`);
  }
  if (typeof captureError !== 'boolean' && typeof captureError !== 'function') {
    throw new TypeError(`instrumentRedis: \`options.captureError\` must be a boolean or a function, got ${typeof captureError}`);
  }
  const onSentryIntegration = resolveSentryOverlapPolicy('instrumentRedis', options.onSentryIntegration);
  return { clients: [...new Set(clients)], requireParentSpan, connectSpans, captureError, onSentryIntegration };
}
