/** The options of `instrumentNitro()`, checked at setup, and the settings every binding reads. */
import { resolveSentryOverlapPolicy, type SentryOverlapPolicy } from '../sentry-overlap';

/** Options of {@link instrumentNitro}. */
export interface NitroInstrumentationOptions {
  /**
   * Report unhandled errors of route handlers and middleware to Sentry, once per error
   * (`mechanism.type: 'auto.http.tracing_channel_span.nitro'`, `handled: false`). h3 `HTTPError`s
   * (and errors with a numeric `status`) below 500 are never reported. Default `true`; turn it
   * off when an error handler of your own already reports them.
   */
  captureErrors?: boolean;
  /**
   * A span per srvx middleware (`middleware.srvx`) and per h3 middleware (`middleware.h3`).
   * Default `true`; turn it off when many trivial middleware make traces noisy.
   */
  middlewareSpans?: boolean;
  /**
   * Continue the caller's trace from `sentry-trace` + `baggage`, or W3C `traceparent`. Default
   * `true`. Turn it off for endpoints that must not trust callers' headers: every request then
   * starts a new trace.
   */
  continueIncomingTrace?: boolean;
  /**
   * When Sentry's own `Nitro` integration (on by default in `@sentry/node` 11) traces the same
   * channels: `'take-over'` (default) makes these spans and Sentry's none; `'stand-down'` leaves
   * srvx, h3 and unstorage to Sentry's (db0 spans stay ours: Sentry does not trace `db0.query`). Either way each request is one server span, and one `console.warn`
   * says which integration owns them. Remove Sentry's (`integrations: (d) => d.filter((i) =>
   * i.name !== 'Nitro')`) to silence the warning.
   */
  onSentryIntegration?: SentryOverlapPolicy;
  /**
   * A span per call of an unstorage 2 storage wrapped in `withTracing` (Nitro 3 does this with
   * `tracingChannel: true`): `db.operation.name` = the method (`getItem`, `setItem`, …), op
   * `cache.get` / `cache.put` / `cache.remove` (`db` for `getKeys`), `cache.key`, `cache.hit`.
   * Default `true`. Only inside a recording span. Follows `onSentryIntegration` (Sentry's `Nitro`
   * integration traces storage too).
   */
  storage?: boolean;
  /**
   * A span per db0 query of a database wrapped in `withTracing`: op `db`, `db.query.text` with
   * placeholders (never the values), `db.operation.name`, `db.system.name`. Default `true`. Only
   * inside a recording span.
   */
  database?: boolean;
}

/** The resolved options every nitro binding reads (see {@link NitroInstrumentationOptions}). */
export interface NitroBindingSettings {
  /** Report unhandled server errors once. */
  captureErrors: boolean;
  /** Spans for srvx and h3 middleware. */
  middlewareSpans: boolean;
  /** Continue `sentry-trace`/`baggage` or `traceparent` from the request. */
  continueIncomingTrace: boolean;
  /** Who makes the spans next to Sentry's own `Nitro` integration. */
  onSentryIntegration: SentryOverlapPolicy;
  /** Spans for unstorage 2 storage calls. */
  storage: boolean;
  /** Spans for db0 queries. */
  database: boolean;
}

const FLAGS = ['captureErrors', 'middlewareSpans', 'continueIncomingTrace', 'storage', 'database'] as const;

/** Applies defaults; throws a `TypeError` naming the option for a value of the wrong kind. */
export function resolveNitroOptions(options: NitroInstrumentationOptions | undefined): NitroBindingSettings {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`instrumentNitro: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const flags = { captureErrors: true, middlewareSpans: true, continueIncomingTrace: true, storage: true, database: true };
  for (const key of FLAGS) {
    const value = options?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new TypeError(`instrumentNitro: \`options.${key}\` must be a boolean, got ${typeof value}`);
    flags[key] = value;
  }
  return { ...flags, onSentryIntegration: resolveSentryOverlapPolicy('instrumentNitro', options?.onSentryIntegration) };
}
