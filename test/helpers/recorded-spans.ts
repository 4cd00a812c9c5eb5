/** Ended spans as `@sentry/core` 11's `spanToJSON` gives them, reduced to what integration tests compare. */
import type { spanToJSON } from '@sentry/core';

/** One ended span: name, op, ids, status, status message and attributes. */
export interface SpanView {
  name: string;
  op: unknown;
  span_id: string;
  parent_span_id: string | undefined;
  trace_id: string;
  status: unknown;
  message: unknown;
  attributes: Record<string, unknown>;
}

/** A `spanToJSON` result (v11: `attributes`; v10: `data`) as a {@link SpanView}. */
export function viewSpan(json: ReturnType<typeof spanToJSON>): SpanView {
  const j = json as unknown as Record<string, any>;
  const attributes = (j.attributes ?? j.data ?? {}) as Record<string, unknown>;
  return {
    name: j.name ?? j.description,
    op: attributes['sentry.op'] ?? j.op,
    span_id: j.span_id,
    parent_span_id: j.parent_span_id,
    trace_id: j.trace_id,
    status: j.status,
    message: attributes['sentry.status.message'],
    attributes,
  };
}

/** A span-streaming envelope attribute (`{ type, value }`) or a plain value, as its value. */
export function attributeValue(span: { attributes?: Record<string, unknown>; data?: Record<string, unknown> }, key: string): unknown {
  const raw = span.attributes?.[key] ?? span.data?.[key];
  return raw !== null && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
}
