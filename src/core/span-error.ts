import { SPAN_STATUS_ERROR } from '@sentry/core';
import type { Span } from '@sentry/core';

/** The status message for an error: its `message`, a truthy primitive's string, or nothing. */
function errorMessage(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null) {
    const raw = 'message' in error ? (error as { message?: unknown }).message : undefined;
    return raw ? String(raw) : undefined;
  }
  if (typeof error === 'function') return undefined;
  return error ? String(error) : undefined;
}

function errorType(error: unknown): string {
  if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
    const name = 'name' in error ? (error as { name?: unknown }).name : undefined;
    if (name !== undefined && name !== null && name !== '') return String(name);
  }
  return 'unknown';
}

/**
 * Marks `span` as failed by `error`: error status with the error's message and the attribute
 * `error.type` (the error's `name`, or `'unknown'`). Reading a hostile error (a Proxy, a throwing
 * getter) falls back to no message and `'unknown'`.
 */
export function markSpanError(span: Span, error: unknown): void {
  let message: string | undefined;
  let type = 'unknown';
  try {
    message = errorMessage(error);
  } catch {
    message = undefined;
  }
  try {
    type = errorType(error);
  } catch {
    type = 'unknown';
  }
  span.setStatus(message === undefined ? { code: SPAN_STATUS_ERROR } : { code: SPAN_STATUS_ERROR, message });
  span.setAttribute('error.type', type);
}

/** Marks the span of a call that never completed and whose payload was garbage collected (rule 13). */
export function markSpanIncomplete(span: Span): void {
  span.setStatus({ code: SPAN_STATUS_ERROR, message: 'incomplete' });
}

/** Ends a deferred span that nobody ended in time. */
export function markSpanDeadlineExceeded(span: Span): void {
  span.setStatus({ code: SPAN_STATUS_ERROR, message: 'deadline_exceeded' });
}
