/**
 * A span's status as the tests assert it, the same on @sentry/core 10 and 11 (the Sentry
 * dimension of `npm run test:matrix` runs the suite on both): v11's `spanToJSON` says
 * `status: 'ok' | 'error'` with the message in the `sentry.status.message` attribute; v10 says
 * `status: <message>` (`internal_error` when there is none) and leaves an unset status out.
 */
import { spanToJSON } from '@sentry/core';
import type { Span } from '@sentry/core';

type Json = { status?: string; attributes?: Record<string, unknown>; data?: Record<string, unknown> };

/** `'ok'` (also an unset status) or `'error'`. */
export function spanStatus(span: Span): 'ok' | 'error' {
  const { status } = spanToJSON(span) as Json;
  return status === undefined || status === 'ok' ? 'ok' : 'error';
}

/** The error status's message, or `undefined` when it has none. */
export function spanStatusMessage(span: Span): string | undefined {
  const json = spanToJSON(span) as Json;
  const attribute = json.attributes?.['sentry.status.message'] ?? json.data?.['sentry.status.message'];
  if (attribute !== undefined) return attribute as string;
  const { status } = json;
  if (status !== undefined && status !== 'ok' && status !== 'error' && status !== 'internal_error') return status;
  // an OpenTelemetry span under @sentry/core 10.7x: spanToJSON maps the status to its code's name
  // (`internal_error`); the message is on the span's own OTel status
  const own = (span as { status?: { message?: unknown } }).status?.message;
  return typeof own === 'string' ? own : undefined;
}

/** The span's name (v11 `name`, v10 `description`). */
export function spanName(span: Span): string | undefined {
  const json = spanToJSON(span) as { name?: string; description?: string };
  return json.name ?? json.description;
}

/** The span's attributes (v11 `attributes`, v10 `data`). */
export function spanAttributes(span: Span): Record<string, unknown> {
  const json = spanToJSON(span) as Json;
  return json.attributes ?? json.data ?? {};
}

/** `spanToJSON(span)` with v11's field names on either major: name, attributes, status, end_timestamp. */
export function spanJson(span: Span): ReturnType<typeof spanToJSON> {
  const json = spanToJSON(span) as ReturnType<typeof spanToJSON> & Json & { description?: string; timestamp?: number; end_timestamp?: number };
  return {
    ...json,
    name: spanName(span),
    attributes: spanAttributes(span),
    status: spanStatus(span),
    end_timestamp: json.end_timestamp ?? json.timestamp,
  } as ReturnType<typeof spanToJSON>;
}
