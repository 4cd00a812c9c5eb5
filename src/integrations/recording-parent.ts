/** Whether the caller runs inside a span that still records (sampled and not ended). */
import { getActiveSpan } from '@sentry/core';

/**
 * `true` inside an active, recording span. Integrations that make spans only inside a request or
 * job (never stray roots, nothing for unsampled traces) ask this before starting one.
 */
export function hasRecordingParent(): boolean {
  const parent = getActiveSpan();
  return parent !== undefined && parent.isRecording();
}
