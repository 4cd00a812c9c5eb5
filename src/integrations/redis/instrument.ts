/** `instrumentRedis()`: binds the node-redis and ioredis tracing channels to spans, once per process. */
import { getClient } from '@sentry/core';
import { bindTracingChannelToSpan } from '../../core/bind';
import { globalSlot } from '../../core/global-slot';
import { logDebug } from '../../core/guard';
import type { ChannelBinding } from '../../core/types';
import { REDIS_TRACING_CHANNELS } from './channels';
import { resolveRedisOptions, type RedisClientName, type RedisInstrumentationOptions, type ResolvedRedisOptions } from './options';
import type { RedisPayload } from './payload';
import { annotateBatchOutcome, annotateCommandOutcome, startBatchSpan, startCommandSpan, startConnectSpan } from './spans';

/** The handle `instrumentRedis()` returns. `using redis = instrumentRedis()` unbinds at scope exit. */
export interface RedisInstrumentation extends Disposable {
  /** The options in force, defaults applied. */
  readonly options: Readonly<ResolvedRedisOptions>;
  /**
   * Stops making Redis spans (idempotent). Spans already started still end when their commands
   * complete. Afterwards `instrumentRedis()` may be called again, with other options.
   */
  unbind(): void;
}


// Process-wide, not module scope: the ESM and the CommonJS build may both be loaded, and each
// would otherwise subscribe once, doubling every span.
const slot = globalSlot('redis', (): { current: RedisInstrumentation | undefined } => ({ current: undefined }));

function sameOptions(a: ResolvedRedisOptions, b: ResolvedRedisOptions): boolean {
  return (
    a.clients.join() === b.clients.join() &&
    a.requireParentSpan === b.requireParentSpan &&
    a.connectSpans === b.connectSpans &&
    a.captureError === b.captureError
  );
}

/** `@sentry/node` 11's default `Redis` integration listens to the same channels: say so once. */
function warnIfSentryRedisIntegration(): void {
  try {
    if (getClient()?.getIntegrationByName('Redis')) {
      logDebug(
        "instrumentRedis: Sentry's own `Redis` integration is active too; every command will be traced twice. " +
          "Remove it: `integrations: (d) => d.filter((i) => i.name !== 'Redis')`",
      );
    }
  } catch {
    // a missing or unusual client is no reason to fail setup
  }
}

function bindClient(client: RedisClientName, options: ResolvedRedisOptions): ChannelBinding<RedisPayload>[] {
  const names = REDIS_TRACING_CHANNELS[client];
  const { requireParentSpan, connectSpans, captureError } = options;
  const bindings = [
    bindTracingChannelToSpan<RedisPayload>(names.command, (data) => startCommandSpan(client, data, requireParentSpan), {
      beforeSpanEnd: annotateCommandOutcome,
      captureError,
    }),
    bindTracingChannelToSpan<RedisPayload>(names.batch, (data) => startBatchSpan(data, requireParentSpan), {
      beforeSpanEnd: annotateBatchOutcome,
      captureError,
    }),
  ];
  if (connectSpans !== 'never') {
    bindings.push(
      bindTracingChannelToSpan<RedisPayload>(names.connect, (data) => startConnectSpan(data, connectSpans), {
        beforeSpanEnd: annotateCommandOutcome,
        captureError,
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
 * Idempotent: while an instrumentation is active, calling it again returns the same handle (the
 * first call's options stay; a debug line says so). Call `unbind()` first to change options.
 * Throws a `TypeError` for an option of the wrong kind; never throws afterwards.
 *
 * Do not combine it with `@sentry/node`'s own `Redis` integration (a default integration in v11),
 * which listens to the same channels: remove that one, or each command is traced twice.
 *
 * @example
 * import { instrumentRedis } from 'tracing-channel-span/redis';
 * instrumentRedis(); // or instrumentRedis({ clients: ['ioredis'], connectSpans: 'never' })
 */
export function instrumentRedis(options?: RedisInstrumentationOptions): RedisInstrumentation {
  const resolved = resolveRedisOptions(options);
  const reg = slot;
  if (reg.current) {
    if (!sameOptions(reg.current.options, resolved)) {
      logDebug('instrumentRedis: already active; keeping the first options (call unbind() first to change them)');
    }
    return reg.current;
  }
  warnIfSentryRedisIntegration();
  const bindings = resolved.clients.flatMap((client) => bindClient(client, resolved));
  let unbound = false;
  const handle: RedisInstrumentation = {
    options: Object.freeze({ ...resolved, clients: Object.freeze([...resolved.clients]) }),
    unbind() {
      if (unbound) return;
      unbound = true;
      for (const binding of bindings) binding.unbind();
      if (reg.current === handle) reg.current = undefined;
    },
    [Symbol.dispose]() {
      handle.unbind();
    },
  } as unknown as RedisInstrumentation;
  reg.current = handle;
  return handle;
}
