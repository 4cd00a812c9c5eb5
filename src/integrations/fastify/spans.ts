/**
 * The spans of the fastify integration: the `request handler - <route>` span, the request's
 * `http.server` span (adopted from whoever owns HTTP, e.g. `@sentry/node`'s Http integration, or
 * ours when nobody does), the route on it, and what the reply's status adds at the end.
 */
import {
  SPAN_STATUS_ERROR,
  continueTrace,
  getIsolationScope,
  getRootSpan,
  getSpanStatusFromHttpCode,
  startInactiveSpan,
  startNewTrace,
} from '@sentry/core';
import type { Span, SpanAttributes } from '@sentry/core';
import { spanOp } from '../../sentry-internals/span-json';
import { NAME_SOURCE_KEY } from '../../sentry-internals/exports';
import { OP_HTTP_SERVER, readIncomingTrace, type RequestHeaders } from '../http-server';
import { readHeader, type FastifyRequestInfo } from './payload';

/** `op` of handler spans. */
export const FASTIFY_HANDLER_OP = 'request_handler.fastify';
/** `sentry.origin` of every span this integration makes. */
export const FASTIFY_ORIGIN = 'auto.http.fastify.tracing_channel';
/** Mechanism of handler errors reported with `captureErrors`. */
export const FASTIFY_MECHANISM = { type: 'auto.http.fastify.tracing_channel', handled: false } as const;

/** The request's server span, and whether this integration made it (and so also ends it). */
export interface ServerSpan {
  span: Span;
  owned: boolean;
}


/** The `http.server` root of the active span (another instrumentation's server span), if it is one. */
export function adoptServerSpan(active: Span | undefined): ServerSpan | undefined {
  if (!active) return undefined;
  const root = getRootSpan(active);
  return spanOp(root) === OP_HTTP_SERVER ? { span: root, owned: false } : undefined;
}

/** Our own `http.server` span, continuing `sentry-trace` / `baggage` or W3C `traceparent`. */
export function startServerSpan(info: FastifyRequestInfo): ServerSpan {
  const request: RequestHeaders = { headers: { get: (name: string) => readHeader(info.headers, name) ?? null } };
  const attributes: SpanAttributes = {
    'sentry.origin': FASTIFY_ORIGIN,
    'http.request.method': info.method,
    'url.path': info.path,
  };
  const start = (): Span => startInactiveSpan({ name: `${info.method} ${info.path}`, op: OP_HTTP_SERVER, attributes, forceTransaction: true });
  const trace = readIncomingTrace(request);
  const span = trace.sentryTrace !== undefined ? continueTrace(trace, start) : startNewTrace(start);
  return { span, owned: true };
}

/**
 * Names the server span `<METHOD> <route>` with `http.route`; for an adopted span also the
 * isolation scope's transaction name (the request's own scope there), so errors carry the route.
 */
export function applyRoute(server: ServerSpan, info: FastifyRequestInfo): void {
  const name = `${info.method} ${info.route}`;
  server.span.updateName(name);
  server.span.setAttribute('http.route', info.route);
  server.span.setAttribute(NAME_SOURCE_KEY, 'route');
  if (!server.owned) getIsolationScope().setTransactionName(name);
}

/** The `request handler - <route>` span, a child of `parent` (the active span, or our server span). */
export function startHandlerSpan(info: FastifyRequestInfo, parent: Span): Span {
  return startInactiveSpan({
    name: `request handler - ${info.route}`,
    op: FASTIFY_HANDLER_OP,
    parentSpan: parent,
    attributes: {
      'sentry.origin': FASTIFY_ORIGIN,
      // keeps the name under @sentry/node 10's OpenTelemetry exporter (it renames HTTP-method spans)
      'sentry.source': 'custom',
      'http.route': info.route,
      'http.request.method': info.method,
    },
  });
}

/** The reply's status on a span: `http.response.status_code`; a 5xx also marks it failed (unless already marked). */
export function applyResponseStatus(span: Span, status: number | undefined, alreadyFailed: boolean): void {
  if (status === undefined) return;
  span.setAttribute('http.response.status_code', status);
  if (status >= 500 && !alreadyFailed) {
    span.setStatus({ code: SPAN_STATUS_ERROR, message: getSpanStatusFromHttpCode(status).message ?? 'internal_error' });
  }
}
