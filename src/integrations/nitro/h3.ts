/**
 * Binding for h3 2 (`new H3({ plugins: [tracingPlugin()] })` from `h3/tracing`): spans for h3
 * middleware and route handlers on `h3.request`, and the matched route pattern applied to the
 * request's `http.server` span.
 */
import { SPAN_STATUS_UNSET, startInactiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { logDebug } from '../../core/guard';
import { bindTracingChannelToSpan } from '../../core/bind';
import type { ChannelBinding } from '../../core/types';
import { NITRO_TRACING_CHANNELS } from './channels';
import { captureRequestErrorOnce, clientErrorStatus, isServerError } from './error-capture';
import type { H3Payload } from './payload';
import { getRequestState } from './request-state';
import { adoptActiveServerSpan, applyRoute } from './server-span';
import { NITRO_ORIGIN, OP_H3_MIDDLEWARE, OP_H3_ROUTE } from './spans';
import type { NitroBindingSettings } from './options';

function routeOf(data: H3Payload): string | undefined {
  const route = data.event.context?.matchedRoute?.route;
  return typeof route === 'string' && route !== '' ? route : undefined;
}

// h3 publishes no reference to the middleware that runs: number them per request, in order
const middlewareSeen = new WeakMap<object, number>();

function nextMiddlewareIndex(request: object): number {
  const index = middlewareSeen.get(request) ?? 0;
  middlewareSeen.set(request, index + 1);
  return index;
}

function startH3Span(data: H3Payload, settings: NitroBindingSettings): Span | undefined {
  const request = data.event.req;
  const route = routeOf(data);
  try {
    const state = adoptActiveServerSpan(request);
    if (state) applyRoute(state, route);
  } catch (error) {
    // naming the server span is a bonus: the route span is still made
    logDebug('nitro: could not apply the h3 route to the server span', error);
  }
  if (data.type === 'middleware') {
    if (!settings.middlewareSpans) return undefined;
    const index = typeof request === 'object' && request !== null ? nextMiddlewareIndex(request) : 0;
    return startInactiveSpan({
      name: `middleware - h3 #${index}`,
      op: OP_H3_MIDDLEWARE,
      attributes: { 'sentry.origin': NITRO_ORIGIN, 'h3.middleware.index': index },
    });
  }
  const method = typeof request.method === 'string' ? request.method.toUpperCase() : undefined;
  // 'custom': @sentry/node 10's OpenTelemetry exporter would rename a span with an HTTP method to `<METHOD> <route>`
  const attributes: Record<string, string> = { 'sentry.origin': NITRO_ORIGIN, 'sentry.source': 'custom' };
  if (method) attributes['http.request.method'] = method;
  if (route) attributes['http.route'] = route;
  return startInactiveSpan({ name: `request handler - ${route ?? data.event.url?.pathname ?? '/'}`, op: OP_H3_ROUTE, attributes });
}

/** Binds `h3.request`. */
export function bindH3Channel(settings: NitroBindingSettings): ChannelBinding<H3Payload> {
  return bindTracingChannelToSpan<H3Payload>(NITRO_TRACING_CHANNELS.h3Request, (data) => startH3Span(data, settings), {
    sampledOnly: true,
    beforeSpanEnd(span, data) {
      if (!('error' in data)) return;
      if (isServerError(data.error)) {
        if (settings.captureErrors) captureRequestErrorOnce(data.error, span, getRequestState(data.event.req));
        return;
      }
      // a thrown HTTPError below 500 is a deliberate client-error response, not a failure of the
      // handler: undo the error status the core set, keep the response code
      span.setStatus({ code: SPAN_STATUS_UNSET });
      span.setAttribute('error.type', undefined);
      const code = clientErrorStatus(data.error);
      if (code !== undefined) span.setAttribute('http.response.status_code', code);
    },
  });
}
