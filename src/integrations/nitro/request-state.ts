/**
 * Per-request bookkeeping, keyed by the `Request` object srvx and h3 share for one request
 * (never stored on it): which span is that request's `http.server` span, and which errors of the
 * request were already reported.
 */
import type { Span } from '@sentry/core';
import type { IncomingRequest } from './payload';

/** What we know about one request. */
export interface RequestState {
  /** The request's `http.server` span: ours, or one another instrumentation made (adopted). */
  readonly span: Span;
  /** True when we made `span` (we then own its name, status and end). */
  readonly owned: boolean;
  /** Upper-case method, for span names. */
  readonly method: string;
  /** The route pattern applied to `span`, once known. */
  route: string | undefined;
  /** Whether a thrown primitive (not an object) was already reported for this request. */
  primitiveCaptured: boolean;
}

const states = new WeakMap<object, RequestState>();

/** The state of `request`, if a server span was made or adopted for it. */
export function getRequestState(request: IncomingRequest | undefined): RequestState | undefined {
  return typeof request === 'object' && request !== null ? states.get(request) : undefined;
}

/** Records the server span of `request`. */
export function setRequestState(request: IncomingRequest, span: Span, owned: boolean, method: string): RequestState {
  const state: RequestState = { span, owned, method, route: undefined, primitiveCaptured: false };
  states.set(request, state);
  return state;
}
