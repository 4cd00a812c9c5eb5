/** `instrumentMysql2()`: binds the tracing channels mysql2 (>= 3.20) publishes to spans, once per process. */
import { bindTracingChannelToSpan } from '../../core/bind';
import { globalSlot } from '../../core/global-slot';
import { logDebug } from '../../core/guard';
import type { ChannelBinding } from '../../core/types';
import { takeOverChannelsFromSentry, type SentryTakeover } from '../sentry-channel-takeover';
import { resolveMysql2Options, type Mysql2InstrumentationOptions, type ResolvedMysql2Options } from './options';
import { annotateSqlFailure } from '../sql/sql-error';
import { MYSQL2_TRACING_CHANNELS } from './channels';
import type { Mysql2Payload } from './payload';
import { startConnectSpan, startStatementSpan } from './spans';

/** The handle `instrumentMysql2()` returns. `using db = instrumentMysql2()` unbinds at scope exit. */
export interface Mysql2Instrumentation extends Disposable {
  /** The options in force, defaults applied. */
  readonly options: Readonly<ResolvedMysql2Options>;
  /**
   * Stops making mysql2 spans (idempotent). Spans already started still end when their calls
   * complete. Afterwards `instrumentMysql2()` may be called again, with other options.
   */
  unbind(): void;
}

// One instrumentation per process, even when the ESM and CommonJS builds are both loaded.
const slot = globalSlot('mysql2', (): { current: Mysql2Instrumentation | undefined } => ({ current: undefined }));

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
 * Idempotent: while active, calling it again returns the same handle (the first options stay; a
 * debug line says so). Throws a `TypeError` for an option of the wrong kind; never afterwards.
 *
 * With `@sentry/node`, whose default `Mysql2` integration binds the same channels (and records
 * `query()`'s values in `db.query.text`): ours takes over, whichever was set up first, and one
 * `console.warn` says so. Each statement still yields one span.
 *
 * @example
 * import { instrumentMysql2 } from 'tracing-channel-span/mysql2';
 * instrumentMysql2(); // or instrumentMysql2({ connectSpans: false })
 */
export function instrumentMysql2(options?: Mysql2InstrumentationOptions): Mysql2Instrumentation {
  const resolved = resolveMysql2Options(options);
  const active = slot.current;
  if (active) {
    if (active.options.requireParentSpan !== resolved.requireParentSpan || active.options.connectSpans !== resolved.connectSpans) {
      logDebug('instrumentMysql2: already active; keeping the first options (call unbind() first to change them)');
    }
    return active;
  }
  let bindings = bindAll(resolved);
  let unbound = false;
  const unbindAll = (): void => {
    for (const binding of bindings) binding.unbind();
  };
  const takeover: SentryTakeover = takeOverChannelsFromSentry({
    who: 'instrumentMysql2()',
    integration: 'Mysql2',
    // only the channels bound here: with `connectSpans: false` Sentry's connect spans stay its own
    channels: resolved.connectSpans ? Object.values(MYSQL2_TRACING_CHANNELS) : [MYSQL2_TRACING_CHANNELS.query, MYSQL2_TRACING_CHANNELS.execute],
    rebind() {
      unbindAll();
      bindings = bindAll(resolved);
    },
  });
  const handle: Mysql2Instrumentation = {
    options: Object.freeze({ ...resolved }),
    unbind() {
      if (unbound) return;
      unbound = true;
      takeover.stop();
      unbindAll();
      if (slot.current === handle) slot.current = undefined;
    },
    [Symbol.dispose]() {
      handle.unbind();
    },
  };
  slot.current = handle;
  return handle;
}
