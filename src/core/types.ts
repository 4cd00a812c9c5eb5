/** The public types of the core binding, and the record a binding keeps on its channel's hub. */
import type { TracingChannel } from 'node:diagnostics_channel';
import type { ExclusiveEventHintOrCaptureContext, Span } from '@sentry/core';

/** Options of {@link bindTracingChannelToSpan}. Every callback is guarded: a throw is logged, never re-thrown. */
export interface BindOptions<TData extends object = object> {
  /**
   * Runs once per traced call, right before its span ends, with the span still open and
   * `data.result` / `data.error` in place. Use it to set attributes that depend on the outcome.
   */
  beforeSpanEnd?: (span: Span, data: TData) => void;
  /**
   * Report errors of the traced call to Sentry, at most once per call. `true` captures with
   * `{ mechanism: { type: 'auto.diagnostic_channels.bind_span', handled: false } }`; a function
   * returns the hint for that error. Default `false`: the span is still marked as failed.
   */
  captureError?: boolean | ((error: unknown) => ExclusiveEventHintOrCaptureContext);
  /**
   * Called when the traced call completed. Return `true` to end the span yourself later through
   * `end()` / `end(error)` (idempotent), e.g. when a returned stream is consumed. Spans not ended
   * within `deferTimeoutMs` end with error status `deadline_exceeded`.
   */
  deferSpanEnd?: (args: { span: Span; data: TData; end: (error?: unknown) => void }) => boolean;
  /** How long a deferred span may stay open, in milliseconds. Default 300000 (5 minutes). */
  deferTimeoutMs?: number;
  /**
   * Skip unsampled traces: when the active span is non-recording, `getSpan` is not called and
   * nothing is bound for that call, so the call costs about what an unobserved one does.
   * Default `false`. Leave it off when `getSpan` must run for every call (it has side effects,
   * or it starts a new trace of its own whatever the caller's sampling decision).
   */
  sampledOnly?: boolean;
  /**
   * Decides when a traced call has completed, for publishers that emit the events by hand and do
   * not follow Node's `trace*` methods (fastify never sets `result`; a sync handler sends only
   * `start` and `end`). Called on `end` and `asyncEnd`; `true` completes the call there. Default:
   * complete at `end` when the payload has `error` or a non-thenable `result`, else at `asyncEnd`.
   * A throw counts as "not complete" (and is logged).
   */
  isComplete?: (data: TData, event: 'end' | 'asyncEnd') => boolean;
}

/** The handle returned by {@link bindTracingChannelToSpan} and {@link bindSpanToChannelStore}. */
export interface ChannelBinding<TData extends object = object> extends Disposable {
  /** The tracing channel this binding listens to. */
  channel: TracingChannel<unknown, TData>;
  /**
   * The span this binding made for that payload, from `start` until that span has ended
   * (including `beforeSpanEnd` and the final event's subscribers); afterwards it may answer
   * `undefined`.
   */
  getSpan(data: TData): Span | undefined;
  /** Stops making spans (idempotent). Spans already started still end when their calls complete. */
  unbind(): void;
}

/** A `getSpan` callback: returns the span for one traced call, or `undefined` for none. */
export type GetSpan<TData extends object = object> = (data: TData) => Span | undefined;

/** One binding's registration on a channel, shared by all its calls (internal). */
export interface BindingRecord {
  readonly getSpan: (data: object) => unknown;
  /** Absent for context-only bindings (`bindSpanToChannelStore`): they never end spans. */
  readonly lifecycle: BindOptions<object> | undefined;
  readonly deferTimeoutMs: number;
  /** Rule 14: skip `getSpan` under a non-recording active span. */
  readonly sampledOnly: boolean;
  /** False once unbound: no more `getSpan` calls. */
  active: boolean;
  /** Called when one of this binding's spans leaves the waiting phase (for hub bookkeeping). */
  readonly onSettled: () => void;
}
