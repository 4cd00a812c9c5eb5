/**
 * Reports an unhandled request error exactly once. The same error object rejects through every
 * layer it crosses (the h3 route, each enclosing h3 middleware, srvx's handler when h3 is not in
 * front): each layer's span is marked failed, but only the first layer that sees it reports it.
 */
import { captureException, withActiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import type { RequestState } from './request-state';
import { NITRO_MECHANISM } from './spans';

const reported = new WeakSet<object>();

/**
 * Whether an error is the server's fault. h3's `HTTPError` (and anything else carrying a numeric
 * `status`/`statusCode`) below 500 is a deliberate client-error response, not a bug.
 */
export function isServerError(error: unknown): boolean {
  return clientErrorStatus(error) === undefined;
}

/** The 4xx status an error carries (`status` or `statusCode`), or `undefined` for anything else. */
export function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  return code !== undefined && code >= 400 && code < 500 ? code : undefined;
}

/**
 * Captures `error` with `span` active (so the event links to the request's trace), unless it is a
 * client error or was already reported. Objects are remembered process-wide (weakly); a thrown
 * primitive once per request.
 */
export function captureRequestErrorOnce(error: unknown, span: Span, state: RequestState | undefined): void {
  if (!isServerError(error)) return;
  if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
    if (reported.has(error)) return;
    reported.add(error);
  } else if (state) {
    if (state.primitiveCaptured) return;
    state.primitiveCaptured = true;
  }
  withActiveSpan(span, () => {
    captureException(error, { mechanism: { type: NITRO_MECHANISM, handled: false } });
  });
}
