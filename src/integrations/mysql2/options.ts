/** Options of `instrumentMysql2()`, validated at setup. */

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
}

/** The options in force, with defaults applied. */
export interface ResolvedMysql2Options {
  requireParentSpan: boolean;
  connectSpans: boolean;
}

/** Applies defaults; throws a `TypeError` naming the option for a value of the wrong kind. */
export function resolveMysql2Options(options: Mysql2InstrumentationOptions | undefined): ResolvedMysql2Options {
  if (options === undefined) return { requireParentSpan: true, connectSpans: true };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`instrumentMysql2: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { requireParentSpan = true, connectSpans = true } = options;
  for (const [name, value] of [['requireParentSpan', requireParentSpan], ['connectSpans', connectSpans]] as const) {
    if (typeof value !== 'boolean') {
      throw new TypeError(`instrumentMysql2: \`options.${name}\` must be a boolean, got ${typeof value}`);
    }
  }
  return { requireParentSpan, connectSpans };
}
