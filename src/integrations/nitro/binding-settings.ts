/** The resolved options every nitro binding reads (see `NitroInstrumentationOptions`). */
export interface NitroBindingSettings {
  /** Report unhandled server errors once. */
  captureErrors: boolean;
  /** Spans for srvx and h3 middleware. */
  middlewareSpans: boolean;
  /** Continue `sentry-trace`/`baggage` or `traceparent` from the request. */
  continueIncomingTrace: boolean;
}
