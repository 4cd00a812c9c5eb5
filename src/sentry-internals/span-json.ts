/**
 * Reading a span as `spanToJSON` reports it, across @sentry/core 10 and 11: version 10 keeps
 * attributes under `data`, version 11 under `attributes`, and `op` moved between the two.
 */
import { spanToJSON } from '@sentry/core';
import type { Span } from '@sentry/core';

/** The span's `sentry.op`, wherever this version of `spanToJSON` puts it. */
export function spanOp(span: Span): unknown {
  const json = spanToJSON(span) as { op?: string; data?: Record<string, unknown>; attributes?: Record<string, unknown> };
  return json.op ?? json.attributes?.['sentry.op'] ?? json.data?.['sentry.op'];
}

/** One attribute of the span, wherever this version of `spanToJSON` puts attributes. */
export function spanAttribute(span: Span, key: string): unknown {
  const json = spanToJSON(span) as { data?: Record<string, unknown>; attributes?: Record<string, unknown> };
  return (json.attributes ?? json.data)?.[key];
}
