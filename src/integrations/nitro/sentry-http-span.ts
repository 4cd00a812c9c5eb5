/**
 * Under `@sentry/node`'s defaults its `Http` integration makes the request's `http.server` span,
 * which this integration then adopts (see `server-span.ts`). Three things that span does
 * differently from SPEC §4 are put right here, for requests this integration serves:
 * - It continues only `sentry-trace` + `baggage`: a W3C `traceparent` started a new trace. At
 *   `http.server.request.start` (published before `server.emit('request')`, where Sentry reads the
 *   headers), a valid `traceparent` without a valid `sentry-trace` gets the equivalent
 *   `sentry-trace` header added to the incoming request, so Sentry's span continues that trace.
 * - It marks 4xx responses as errors (`not_found`, …) when the response closes: for an adopted
 *   span, the client's `spanEnd` hook (it runs inside `span.end()`, before the span is sent)
 *   clears that status again. 5xx stay errors.
 * - With span streaming it names a request by its method only (`GET`): an adopted span is named
 *   `METHOD /path` until h3 matches a route (`server-span.ts`).
 */
import { getClient, SPAN_STATUS_UNSET } from '@sentry/core';
import type { Span } from '@sentry/core';
import { logDebug } from '../../core/guard';
import { getDiagnosticsChannel } from '../../core/node-builtins';
import { spanAttribute } from '../../sentry-internals/span-json';
import { findSentryIntegration } from '../sentry-overlap';
import { isSentryTrace, traceparentToSentryTrace } from '../http-server';

/** Node's channel for every incoming HTTP request, published before the `request` event. */
export const HTTP_SERVER_REQUEST_START = 'http.server.request.start';

type HeaderBag = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  if (typeof one !== 'string' || one === '') return undefined;
  const comma = one.indexOf(',');
  return comma === -1 ? one : one.slice(0, comma);
}

function onRequestStart(message: unknown): void {
  try {
    const headers = (message as { request?: { headers?: HeaderBag } } | undefined)?.request?.headers;
    if (typeof headers !== 'object' || headers === null) return;
    const sentryTrace = first(headers['sentry-trace']);
    if (sentryTrace !== undefined && isSentryTrace(sentryTrace)) return;
    const traceparent = first(headers['traceparent']);
    const translated = traceparent === undefined ? undefined : traceparentToSentryTrace(traceparent);
    if (translated === undefined || findSentryIntegration(['Http']) === undefined) return;
    headers['sentry-trace'] = translated;
  } catch (error) {
    logDebug('nitro: could not read the incoming traceparent', error);
  }
}

/**
 * Starts translating incoming `traceparent` headers for Sentry's `Http` integration (only while it
 * is installed). Returns the function that stops it.
 */
export function continueTraceparentInSentryHttpSpans(): () => void {
  const dc = getDiagnosticsChannel();
  if (!dc) return () => undefined;
  try {
    dc.subscribe(HTTP_SERVER_REQUEST_START, onRequestStart);
  } catch (error) {
    logDebug('nitro: cannot watch incoming HTTP requests', error);
    return () => undefined;
  }
  return () => {
    try {
      dc.unsubscribe(HTTP_SERVER_REQUEST_START, onRequestStart);
    } catch {
      // already gone
    }
  };
}

const adopted = new WeakSet<Span>();
const hookedClients = new WeakSet<object>();

function onSpanEnd(span: Span): void {
  if (!adopted.has(span)) return;
  try {
    const code = spanAttribute(span, 'http.response.status_code');
    if (typeof code === 'number' && code >= 400 && code < 500) span.setStatus({ code: SPAN_STATUS_UNSET });
  } catch (error) {
    logDebug('nitro: could not clear the 4xx status of the server span', error);
  }
}

/** Records `span` (another instrumentation's `http.server` span) as adopted: a 4xx will not mark it failed. */
export function adoptSentryServerSpan(span: Span): void {
  adopted.add(span);
  try {
    const client = getClient();
    if (!client || hookedClients.has(client)) return;
    hookedClients.add(client);
    client.on('spanEnd', onSpanEnd);
  } catch (error) {
    logDebug('nitro: cannot watch span ends on this client', error);
  }
}
