/**
 * What the HTTP server integrations (nitro, fastify) share: the server span's op, and the trace
 * an incoming request continues: Sentry's `sentry-trace` + `baggage`, or else W3C `traceparent`
 * (translated into the `sentry-trace` form that `continueTrace` understands).
 */

/** `sentry.op` of a request's server span. */
export const OP_HTTP_SERVER = 'http.server';

/** The headers of an incoming request, as a fetch `Request` (srvx) has them; fastify's are read into this shape. */
export interface RequestHeaders {
  readonly headers: { get(name: string): string | null };
}

/** Headers for `continueTrace`; both absent means "start a new trace". */
export interface IncomingTrace {
  sentryTrace: string | undefined;
  baggage: string | undefined;
}

const SENTRY_TRACE = /^[ \t]*([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?[ \t]*$/i;
// version-traceId-parentId-flags; versions other than 00 may append fields (W3C Trace Context §3.2.4).
const TRACEPARENT = /^[ \t]*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?[ \t]*$/;
const ALL_ZERO = /^0+$/;

function header(request: RequestHeaders, name: string): string | undefined {
  const value = request.headers.get(name);
  if (typeof value !== 'string' || value === '') return undefined;
  // Repeated headers arrive joined with ", "; the first one counts.
  const comma = value.indexOf(',');
  return comma === -1 ? value : value.slice(0, comma);
}

/** Whether `value` is a valid `sentry-trace` header value (`traceId-spanId[-sampled]`). */
export function isSentryTrace(value: string): boolean {
  return SENTRY_TRACE.test(value);
}

/**
 * Parses a W3C `traceparent` value into `traceId-parentSpanId-sampled` (the `sentry-trace`
 * form), or `undefined` when the value is invalid (version `ff`, all-zero ids, bad shape).
 */
export function traceparentToSentryTrace(value: string): string | undefined {
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return undefined;
  const sampled = (Number.parseInt(flags, 16) & 1) === 1;
  return `${traceId}-${parentId}-${sampled ? '1' : '0'}`;
}

/**
 * The trace headers of `request`. A valid `sentry-trace` wins (with its `baggage`); otherwise a
 * valid `traceparent` (with any `baggage`, whose `sentry-` entries carry Sentry's sampling
 * context when the caller was a Sentry SDK). Neither: both fields `undefined`.
 */
export function readIncomingTrace(request: RequestHeaders): IncomingTrace {
  const baggage = request.headers.get('baggage') ?? undefined;
  const sentryTrace = header(request, 'sentry-trace');
  if (sentryTrace !== undefined && SENTRY_TRACE.test(sentryTrace)) {
    return { sentryTrace: sentryTrace.trim(), baggage };
  }
  const traceparent = header(request, 'traceparent');
  const translated = traceparent === undefined ? undefined : traceparentToSentryTrace(traceparent);
  if (translated !== undefined) return { sentryTrace: translated, baggage };
  return { sentryTrace: undefined, baggage: undefined };
}
