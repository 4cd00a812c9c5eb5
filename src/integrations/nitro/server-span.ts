/**
 * The `http.server` span of a request: made at the first srvx event of that request (a srvx
 * middleware runs before the fetch handler), continuing the caller's trace, or adopted when another
 * instrumentation (e.g. `@sentry/node`'s HTTP integration) already made one. Also: naming it after
 * the route pattern, and its status from the `Response`.
 */
import {
  continueTrace,
  getActiveSpan,
  getIsolationScope,
  getSpanStatusFromHttpCode,
  startInactiveSpan,
  startNewTrace,
  SPAN_STATUS_ERROR,
} from '@sentry/core';
import type { Span, SpanAttributes } from '@sentry/core';
import { spanOp } from '../../sentry-internals/span-json';
import { readIncomingTrace } from '../http-server';
import type { IncomingRequest } from './payload';
import { getRequestState, setRequestState } from './request-state';
import type { RequestState } from './request-state';
import { adoptSentryServerSpan } from './sentry-http-span';
import { NAME_SOURCE_KEY, NITRO_ORIGIN, OP_HTTP_SERVER } from './spans';

const ownServerSpans = new WeakSet<Span>();

interface RequestUrl {
  pathname: string;
  scheme: string | undefined;
  hostname: string | undefined;
  port: number | undefined;
}

function parseRequestUrl(request: IncomingRequest): RequestUrl {
  const fast = request._url;
  let url: { pathname?: string; protocol?: string; hostname?: string; port?: string } | undefined = fast;
  if (!url || typeof url.pathname !== 'string') {
    try {
      url = new URL(request.url);
    } catch {
      url = undefined;
    }
  }
  const scheme = typeof url?.protocol === 'string' && url.protocol ? url.protocol.replace(/:$/, '') : undefined;
  const explicitPort = url?.port ? Number(url.port) : undefined;
  const port = explicitPort ?? (scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined);
  return {
    pathname: typeof url?.pathname === 'string' && url.pathname ? url.pathname : '/',
    scheme,
    hostname: url?.hostname || undefined,
    port: Number.isFinite(port) ? port : undefined,
  };
}

function methodOf(request: IncomingRequest): string {
  return typeof request.method === 'string' && request.method ? request.method.toUpperCase() : 'GET';
}

/** Whether `span` is an `http.server` span someone else made (not one of ours). */
function isForeignServerSpan(span: Span): boolean {
  if (ownServerSpans.has(span)) return false;
  return spanOp(span) === OP_HTTP_SERVER;
}

/**
 * For the first srvx event of `request`: a new `http.server` span to bind, or `undefined` when the
 * request already has one (ours, from an earlier srvx event) or when the active span is another
 * instrumentation's `http.server` span (it is adopted: renamed after the route, not duplicated).
 */
export function startServerSpan(request: IncomingRequest, continueIncoming: boolean): Span | undefined {
  if (getRequestState(request)) return undefined;
  const method = methodOf(request);
  const active = getActiveSpan();
  const url = parseRequestUrl(request);
  if (active && isForeignServerSpan(active)) {
    adopt(request, active, method, url.pathname);
    return undefined;
  }
  const attributes: SpanAttributes = {
    'sentry.origin': NITRO_ORIGIN,
    [NAME_SOURCE_KEY]: 'url',
    'http.request.method': method,
    'url.path': url.pathname,
  };
  if (url.scheme) attributes['url.scheme'] = url.scheme;
  if (url.hostname) attributes['server.address'] = url.hostname;
  if (url.port !== undefined) attributes['server.port'] = url.port;
  const start = (): Span =>
    startInactiveSpan({ name: `${method} ${url.pathname}`, op: OP_HTTP_SERVER, attributes, forceTransaction: true });
  const span = continueIncoming ? continueTrace(readIncomingTrace(request), start) : startNewTrace(start);
  ownServerSpans.add(span);
  setRequestState(request, span, true, method);
  return span;
}

/** Takes over naming and status of another instrumentation's server span: `METHOD /path` until a route matches. */
function adopt(request: IncomingRequest, span: Span, method: string, pathname: string): RequestState {
  const state = setRequestState(request, span, false, method);
  span.updateName(`${method} ${pathname}`);
  span.setAttribute(NAME_SOURCE_KEY, 'url');
  adoptSentryServerSpan(span);
  return state;
}

/**
 * For a request no srvx event announced (h3 served without srvx's tracing plugin): adopts the
 * active span when it is another instrumentation's `http.server` span, so the route still names it.
 */
export function adoptActiveServerSpan(request: IncomingRequest): RequestState | undefined {
  const existing = getRequestState(request);
  if (existing) return existing;
  const active = getActiveSpan();
  return active && isForeignServerSpan(active) ? adopt(request, active, methodOf(request), parseRequestUrl(request).pathname) : undefined;
}

/**
 * Names the request's server span after the matched route pattern (`GET /users/:id`) and sets
 * `http.route`. For an adopted span, also the isolation scope's transaction name (that scope is
 * the request's own there), so errors carry the route too.
 */
export function applyRoute(state: RequestState, route: unknown): void {
  if (typeof route !== 'string' || route === '' || state.route === route) return;
  state.route = route;
  const name = `${state.method} ${route}`;
  state.span.updateName(name);
  state.span.setAttribute('http.route', route);
  state.span.setAttribute(NAME_SOURCE_KEY, 'route');
  if (!state.owned) getIsolationScope().setTransactionName(name);
}

function responseStatus(result: unknown): number | undefined {
  if (typeof result !== 'object' || result === null || !('status' in result)) return undefined;
  const status = (result as { status?: unknown }).status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 999 ? status : undefined;
}

/**
 * Sets `http.response.status_code` from the `Response` the request ended with; a 5xx marks the
 * span as failed (4xx leave it unset: for a server, those are the client's errors).
 */
export function applyResponseStatus(span: Span, result: unknown): void {
  const status = responseStatus(result);
  if (status === undefined) return;
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SPAN_STATUS_ERROR, message: getSpanStatusFromHttpCode(status).message ?? 'internal_error' });
}
