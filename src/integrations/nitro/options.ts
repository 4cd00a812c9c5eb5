/** The options of `instrumentNitro()`, checked at setup, and the settings every binding reads. */
import type { NitroDataLayerOptions } from './data-layers';

/** Options of {@link instrumentNitro}. */
export interface NitroInstrumentationOptions extends NitroDataLayerOptions {
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
}

/** The resolved options every nitro binding reads (see {@link NitroInstrumentationOptions}). */
export interface NitroBindingSettings {
  /** Report unhandled server errors once. */
  captureErrors: boolean;
  /** Spans for srvx and h3 middleware. */
  middlewareSpans: boolean;
  /** Continue `sentry-trace`/`baggage` or `traceparent` from the request. */
  continueIncomingTrace: boolean;
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
  const settings = { captureErrors: true, middlewareSpans: true, continueIncomingTrace: true, storage: true, database: true };
  for (const key of FLAGS) {
    const value = options?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new TypeError(`instrumentNitro: \`options.${key}\` must be a boolean, got ${typeof value}`);
    settings[key] = value;
  }
  return settings;
}
