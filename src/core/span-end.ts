/**
 * Where a span ends. The end rule of SPEC §2 rule 2 (which event completes a call: `end` when the
 * payload has its own `error` or a non-thenable `result`, else `asyncEnd`), and the per-call state
 * machine: one `CallEntry` per (traced call, binding that made a span), ending its span exactly
 * once: at completion, through a deferred `end()`, at the defer deadline, or (rule 13) with status
 * `incomplete` once the payload of a call that never completed is garbage collected.
 */
import { captureException, spanToJSON, timestampInSeconds } from '@sentry/core';
import type { Span } from '@sentry/core';
import { guard, logDebug } from './guard';
import { markSpanDeadlineExceeded, markSpanError, markSpanIncomplete } from './span-error';
import type { BindingRecord, BindOptions } from './types';

const OPEN = 0;
const DEFERRING = 1;
const DEFERRED = 2;
const ENDED = 3;

const DEFAULT_HINT = { mechanism: { type: 'auto.diagnostic_channels.bind_span', handled: false } } as const;

// One-line adapters: `guard` takes the function and its arguments separately, so that calling user
// code on the event path allocates no closure per call.
function callDeferSpanEnd(
  defer: NonNullable<BindOptions<object>['deferSpanEnd']>,
  args: { span: Span; data: object; end: (error?: unknown) => void },
): boolean {
  return defer(args) === true;
}

function callBeforeSpanEnd(before: NonNullable<BindOptions<object>['beforeSpanEnd']>, span: Span, data: object): void {
  before(span, data);
}

function callCaptureHint(fn: (error: unknown) => unknown, error: unknown): unknown {
  return fn(error);
}

function callIsComplete(fn: NonNullable<BindOptions<object>['isComplete']>, data: object, event: 'end' | 'asyncEnd'): boolean {
  return fn(data, event) === true;
}

/** A span one binding made for one traced call, and where that span is in its lifecycle. */
export class CallEntry {
  /** The next binding's entry for the same call (bindings nest in order). */
  next: CallEntry | undefined = undefined;
  /** The caller's store, kept on the first entry of a call (restored for callbacks). */
  callerStore: unknown = undefined;
  /** Which strategy `callerStore` came from; a store is never handed to another strategy. */
  origin: unknown = undefined;
  /** On the first entry: when the call's latest event that left it waiting arrived ({@link clock}). */
  lastEventAt: number | undefined = undefined;
  /** On the first entry: whether the call is queued or registered to end if its payload goes. */
  watched = false;
  private _phase = OPEN;
  private _captured = false;
  private _errorMarked = false;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(
    readonly binding: BindingRecord,
    readonly span: Span,
  ) {}

  /** Whether the span is still open (not ended, possibly deferred). */
  get isOpen(): boolean {
    return this._phase !== ENDED;
  }

  /** Whether the entry still waits for its call to complete (context-only entries never do). */
  get isWaiting(): boolean {
    return this._phase === OPEN && this.binding.lifecycle !== undefined;
  }

  /**
   * Rule 13: the call never completed and its payload is gone, so no event will ever come. Ends a
   * waiting span with error status `incomplete` at the time of the call's last event (`at`, from
   * {@link clock}; the span's start when none came after it). Returns whether it did.
   */
  abandon(at: number | undefined): boolean {
    if (this._phase !== OPEN || !this.binding.lifecycle) return false;
    this._phase = ENDED;
    try {
      markSpanIncomplete(this.span);
      // Sentry's clock now, minus how long ago that event was on ours
      this.span.end(at === undefined ? spanToJSON(this.span).start_timestamp : timestampInSeconds() - (clock() - at) / 1000);
    } catch (e) {
      logDebug('could not end the span of an unfinished call', e);
    }
    this.binding.onSettled();
    return true;
  }

  /** `error` event, or an error handed to a deferred `end`: status now, capture at most once. */
  markError(error: unknown): void {
    if (this._phase === ENDED || !this.binding.lifecycle) return;
    this._errorMarked = true;
    try {
      markSpanError(this.span, error);
    } catch (e) {
      logDebug('could not mark the span as failed', e);
    }
    const capture = this.binding.lifecycle?.captureError;
    if (!capture || this._captured) return;
    this._captured = true;
    let hint: unknown = DEFAULT_HINT;
    if (typeof capture === 'function') {
      const custom = guard('captureError', callCaptureHint, capture, error);
      if (custom !== undefined) hint = custom;
    }
    try {
      captureException(error, hint as typeof DEFAULT_HINT);
    } catch (e) {
      logDebug('captureException threw', e);
    }
  }

  /** The call completed (sync end, settled promise, callback called). Ends or defers the span. */
  complete(data: object, hasError: boolean, error: unknown): void {
    if (this._phase !== OPEN) return;
    const options = this.binding.lifecycle;
    if (!options) return;
    if (hasError && !this._errorMarked) this.markError(error);
    const defer = options.deferSpanEnd;
    if (defer) {
      this._phase = DEFERRING;
      const end = (error?: unknown): void => this._endDeferred(data, error);
      const deferred = guard('deferSpanEnd', callDeferSpanEnd, defer, { span: this.span, data, end });
      if (this._phase === ENDED) return; // ended synchronously from inside deferSpanEnd
      if (deferred === true) {
        this._phase = DEFERRED;
        this.binding.onSettled();
        this._armDeadline(data);
        return;
      }
      this._phase = OPEN;
    }
    this._end(data);
  }

  private _endDeferred(data: object, error: unknown): void {
    if (this._phase !== DEFERRED && this._phase !== DEFERRING) return;
    if (error !== undefined) this.markError(error);
    this._end(data);
  }

  private _armDeadline(data: object): void {
    const ms = this.binding.deferTimeoutMs;
    const timer = setTimeout(() => {
      this._timer = undefined;
      if (this._phase !== DEFERRED) return;
      try {
        markSpanDeadlineExceeded(this.span);
      } catch (e) {
        logDebug('could not mark the deadline on the span', e);
      }
      this._end(data);
    }, ms);
    timer.unref?.();
    this._timer = timer;
  }

  private _end(data: object): void {
    const wasOpen = this._phase === OPEN || this._phase === DEFERRING;
    this._phase = ENDED;
    if (this._timer !== undefined) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
    const before = this.binding.lifecycle?.beforeSpanEnd;
    if (before) guard('beforeSpanEnd', callBeforeSpanEnd, before, this.span, data);
    try {
      this.span.end();
    } catch (e) {
      logDebug('span.end() threw', e);
    }
    if (wasOpen) this.binding.onSettled();
  }
}

function hasOwn(data: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(data, key);
}

function isThenable(value: unknown): boolean {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Completes each entry whose call is complete at `event`: by the binding's `isComplete` (rule
 * 15; a throw counts as not complete) or else by rule 2 (`byRule`). Innermost span first: a child
 * ends before its parent.
 */
function completeChain(entry: CallEntry, data: object, event: 'end' | 'asyncEnd', byRule: boolean, hasError: boolean, error: unknown): void {
  if (entry.next) completeChain(entry.next, data, event, byRule, hasError, error);
  if (!entry.isWaiting) return;
  const custom = entry.binding.lifecycle?.isComplete;
  const done = custom ? guard('isComplete', callIsComplete, custom, data, event) === true : byRule;
  if (done) entry.complete(data, hasError, error);
}

const performanceClock = (globalThis as { performance?: { now?: () => number } }).performance;
/** A cheap monotonic clock in milliseconds (Sentry's `timestampInSeconds` costs about three times more). */
const clock: () => number = typeof performanceClock?.now === 'function' ? () => performanceClock.now!() : Date.now;

/** Notes the time of an event that left part of the call waiting (the end time rule 13 uses). */
function noteIfWaiting(head: CallEntry): void {
  for (let entry: CallEntry | undefined = head; entry; entry = entry.next) {
    if (entry.isWaiting) {
      head.lastEventAt = clock();
      return;
    }
  }
}

/** `end`: the call completed synchronously when the payload has `error` or a non-thenable `result`. */
export function endOnEnd(head: CallEntry, data: object): void {
  const hasError = hasOwn(data, 'error');
  const error = hasError ? (data as { error?: unknown }).error : undefined;
  const byRule = hasError || (hasOwn(data, 'result') && !isThenable((data as { result?: unknown }).result));
  completeChain(head, data, 'end', byRule, hasError, error);
  noteIfWaiting(head);
}

/** `asyncEnd`: the promise settled or the callback was called; `error` says how. */
export function endOnAsyncEnd(head: CallEntry, data: object): void {
  let hasError = false;
  let error: unknown;
  try {
    hasError = hasOwn(data, 'error');
    if (hasError) error = (data as { error?: unknown }).error;
  } catch {
    hasError = false;
  }
  completeChain(head, data, 'asyncEnd', true, hasError, error);
  noteIfWaiting(head);
}

/** `error`: every open span of the call gets error status now (and a capture, once). */
export function markOnError(head: CallEntry, data: object): void {
  let error: unknown;
  try {
    error = (data as { error?: unknown }).error;
  } catch {
    error = undefined;
  }
  for (let entry: CallEntry | undefined = head; entry; entry = entry.next) entry.markError(error);
  noteIfWaiting(head);
}

/** Whether any entry of the call still waits for it to complete. */
export function isCallWaiting(head: CallEntry): boolean {
  for (let entry: CallEntry | undefined = head; entry; entry = entry.next) if (entry.isWaiting) return true;
  return false;
}

/** Whether any span of the call is still open (waiting for completion, or deferred). */
export function isCallOpen(head: CallEntry): boolean {
  for (let entry: CallEntry | undefined = head; entry; entry = entry.next) if (entry.isOpen) return true;
  return false;
}
