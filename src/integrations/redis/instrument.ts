/** `instrumentRedis()`: binds the node-redis and ioredis tracing channels to spans, once per process. */
import { bindTracingChannelToSpan } from '../../core/bind';
import type { ChannelBinding } from '../../core/types';
import { REDIS_TRACING_CHANNELS } from './channels';
import { resolveRedisOptions, type RedisClientName, type RedisInstrumentationOptions, type ResolvedRedisOptions } from './options';
import type { RedisPayload } from './payload';
import type { SentryOverlapOwner } from '../sentry-overlap';
import { setupArbitrated } from '../setup-once';
import { annotateBatchOutcome, annotateCommandOutcome, startBatchSpan, startCommandSpan, startConnectSpan } from './spans';

/** The handle `instrumentRedis()` returns. `using redis = instrumentRedis()` unbinds at scope exit. */
export interface RedisInstrumentation extends Disposable {
  /** The options in force, defaults applied. */
  readonly options: Readonly<ResolvedRedisOptions>;
  /** Who makes the Redis spans: `'ours'`, or `'sentry'` when this one stood down for Sentry's `Redis` integration. */
  readonly owner: SentryOverlapOwner;
  /**
   * Stops making Redis spans (idempotent). Spans already started still end when their commands
   * complete. Afterwards `instrumentRedis()` may be called again, with other options.
   */
  unbind(): void;
}

function bindClient(client: RedisClientName, options: ResolvedRedisOptions): ChannelBinding<RedisPayload>[] {
  const names = REDIS_TRACING_CHANNELS[client];
  const { requireParentSpan, connectSpans, captureError } = options;
  const bindings = [
    bindTracingChannelToSpan<RedisPayload>(names.command, (data) => startCommandSpan(client, data, requireParentSpan), {
      beforeSpanEnd: annotateCommandOutcome,
      captureError,
      sampledOnly: true,
    }),
    bindTracingChannelToSpan<RedisPayload>(names.batch, (data) => startBatchSpan(data, requireParentSpan), {
      beforeSpanEnd: annotateBatchOutcome,
      captureError,
      sampledOnly: true,
    }),
  ];
  if (connectSpans !== 'never') {
    bindings.push(
      bindTracingChannelToSpan<RedisPayload>(names.connect, (data) => startConnectSpan(data, connectSpans), {
        beforeSpanEnd: annotateCommandOutcome,
        captureError,
        sampledOnly: true,
      }),
    );
  }
  return bindings;
}

/**
 * Turns Redis commands into Sentry spans, for node-redis (`redis` v6) and ioredis (v6), through the
 * tracing channels both clients publish (`node-redis:command|batch|connect`,
 * `ioredis:command|batch|connect`). No patching; the clients need no option.
 *
 * - Each command is a span named for the command (`GET`), op `db.redis`, with `db.system.name`,
 *   `db.operation.name`, `db.query.text` (arguments as the client sanitized them), `db.namespace`,
 *   `server.address`, `server.port`. A failed command has error status, `error.type` and
 *   `db.response.status_code` (`WRONGTYPE`).
 * - A MULTI (both clients) or a node-redis pipeline is one span `MULTI` / `PIPELINE` with
 *   `db.operation.batch.size`; commands the client publishes inside it are its children.
 * - By default spans are made only inside an active span (`requireParentSpan`), and connects only
 *   make spans inside one (`connectSpans: 'with-parent'`).
 *
 * Idempotent: calling it again with the same options returns the same handle; with other options
 * it unbinds the first instrumentation and binds again with the new ones (a debug line says so),
 * so the last call's options are in force. Throws a `TypeError` for an option of the wrong kind;
 * never throws afterwards.
 *
 * With `@sentry/node`'s own `Redis` integration (a default in v11 with tracing on), each command is
 * still one span, whichever was set up first: see `onSentryIntegration`. One `console.warn` says so.
 *
 * @example
 * import { instrumentRedis } from 'tracing-channel-span/redis';
 * instrumentRedis(); // or instrumentRedis({ clients: ['ioredis'], connectSpans: 'never' })
 */
export function instrumentRedis(options?: RedisInstrumentationOptions): RedisInstrumentation {
  const resolved = resolveRedisOptions(options);
  return setupArbitrated(
    'redis',
    { ...resolved, clients: Object.freeze([...resolved.clients]) },
    {
      integration: 'instrumentRedis',
      sentryIntegrations: ['Redis'],
      channels: resolved.clients.flatMap((client) => Object.values(REDIS_TRACING_CHANNELS[client])),
      policy: resolved.onSentryIntegration,
    },
    () => resolved.clients.flatMap((client) => bindClient(client, resolved)),
  );
}
