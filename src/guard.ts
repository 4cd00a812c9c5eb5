import { debug } from '@sentry/core';

/**
 * Runs user code on the event path. A throw is logged once through Sentry's debug logger and
 * swallowed: Node re-throws errors from store transforms and subscribers on the next tick, which
 * would crash the observed process.
 */
export function guard<A, B, C, R>(what: string, fn: (a: A, b: B, c: C) => R, a: A, b: B, c?: C): R | undefined {
  try {
    return fn(a, b, c as C);
  } catch (error) {
    logDebug(`${what} threw; ignored`, error);
    return undefined;
  }
}

/** One debug line through Sentry's logger; never throws. */
export function logDebug(message: string, detail?: unknown): void {
  try {
    debug.log(`[tracing-channel-span] ${message}`, ...(detail === undefined ? [] : [detail]));
  } catch {
    // a broken logger must not break the traced call
  }
}
