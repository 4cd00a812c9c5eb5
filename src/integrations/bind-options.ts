/**
 * The binding options every integration of this folder passes. `sampledOnly` (SPEC §2 rule 14) is
 * not in the core's `BindOptions` yet: until it is, the field is passed anyway (ignored by the
 * core) and `inUnsampledTrace()` gives the same effect inside `getSpan`.
 * TODO(sampledOnly): once the core has it, drop `inUnsampledTrace` and the intersection type.
 */
import { getActiveSpan } from '@sentry/core';
import type { BindOptions } from '../core/types';

/** `BindOptions` plus SPEC §2 rule 14's `sampledOnly`. */
export type IntegrationBindOptions<TData extends object> = BindOptions<TData> & { sampledOnly?: boolean };

/** `options` with `sampledOnly: true`, as every integration binds. */
export function sampledOnly<TData extends object>(options: BindOptions<TData>): BindOptions<TData> {
  const withFlag: IntegrationBindOptions<TData> = { ...options, sampledOnly: true };
  return withFlag;
}

/** Whether the caller runs inside an unsampled (non-recording) span: then no span is made. */
export function inUnsampledTrace(): boolean {
  const active = getActiveSpan();
  return active !== undefined && !active.isRecording();
}
