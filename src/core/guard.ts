/**
 * The one guard for user code on the event path (`getSpan`, `beforeSpanEnd`, `deferSpanEnd`,
 * `captureError`, `isComplete`, an integration's attribute code). Node re-throws errors from
 * store transforms and subscribers on the next tick, which would crash the observed process.
 */
import { debug } from '@sentry/core';

/**
 * Calls `fn(a, b, c)`. A throw is logged (one debug line per throw, through Sentry's debug
 * logger) and swallowed: the result is then `undefined`. Positional arguments instead of a
 * closure, so that a call on the hot path allocates nothing.
 */
export function guard<A, B, C, R>(what: string, fn: (a: A, b: B, c: C) => R, a: A, b: B, c?: C): R | undefined {
  try {
    return fn(a, b, c as C);
  } catch (error) {
    logDebug(`${what} threw; ignored`, error);
    return undefined;
  }
}

/** One debug line through Sentry's logger (shown with `debug: true`); never throws. */
export function logDebug(message: string, detail?: unknown): void {
  try {
    debug.log(`[tracing-channel-span] ${message}`, ...(detail === undefined ? [] : [detail]));
  } catch {
    // a broken logger must not break the traced call
  }
}
