/**
 * Exports of `@sentry/core` that not every release in the supported range (`>=10.61.0 <12`) has,
 * or that Sentry marks internal. Read through the namespace object, never imported by name: a
 * named ESM import of a missing export is a `SyntaxError` at load time. This file is the ONE place
 * that says which export appeared in which release (measured on every 10.61–10.78 and 11.x release):
 *
 * | export                             | first release | where missing, this package uses             |
 * | ---------------------------------- | ------------- | -------------------------------------------- |
 * | `getAsyncContextStrategy`          | 10.63.0       | the carrier slot `__SENTRY__[version].acs`   |
 * | `spanIsIgnored`                    | 10.64.0       | `dropReason === 'ignored'` on a non-recording span |
 * | `isContinuingTrace`                | 10.74.0       | `parentSpanId` or `dsc` on the propagation context |
 * | `SEMANTIC_ATTRIBUTE_SENTRY_SOURCE` | (10.x only)   | `sentry.segment.name.source` (its 11.x name)  |
 * | `_INTERNAL_safeMathRandom`         | (internal)    | `Math.random`                                 |
 *
 * Every other value this package imports from `@sentry/core` exists in 10.61.0 and every later
 * release (test/unit/sentry-internals/exports.test.ts checks the list against the installed copy).
 */
import * as SentryCore from '@sentry/core';
import { GLOBAL_OBJ, SDK_VERSION, getMainCarrier } from '@sentry/core';
import type { PropagationContext, Span } from '@sentry/core';

/** The exports this file feature-detects, with the release that first has each. */
export const FEATURE_DETECTED_EXPORTS: Readonly<Record<string, string>> = {
  getAsyncContextStrategy: '10.63.0',
  spanIsIgnored: '10.64.0',
  isContinuingTrace: '10.74.0',
};

function exported(name: string): unknown {
  return (SentryCore as Record<string, unknown>)[name];
}

/**
 * The attribute that tells Sentry where a segment's name came from (`route` or `url`):
 * `sentry.source` up to @sentry/core 10, `sentry.segment.name.source` from 11 on.
 */
export const NAME_SOURCE_KEY: string =
  typeof exported('SEMANTIC_ATTRIBUTE_SENTRY_SOURCE') === 'string'
    ? (exported('SEMANTIC_ATTRIBUTE_SENTRY_SOURCE') as string)
    : 'sentry.segment.name.source';

const safeMathRandom = exported('_INTERNAL_safeMathRandom');

/**
 * A random number in [0, 1) the way Sentry draws a trace's sample value: through its
 * `_INTERNAL_safeMathRandom` where it exists (it escapes fake timers and patched `Math`).
 */
export function sampleRand(): number {
  return typeof safeMathRandom === 'function' ? (safeMathRandom as () => number)() : Math.random();
}

/** The part of a Sentry async-context strategy this package reads. */
export interface StrategyLike {
  getTracingChannelBinding?: () => unknown;
  getActiveSpan?: unknown;
}

const getAsyncContextStrategyExport = exported('getAsyncContextStrategy') as ((carrier: unknown) => StrategyLike) | undefined;

/**
 * `getAsyncContextStrategy(getMainCarrier())`; before 10.63 (no such export) the strategy that
 * `setAsyncContextStrategy` put in this copy's carrier slot, or an empty object when none is set.
 */
export function currentAsyncContextStrategy(): StrategyLike {
  if (typeof getAsyncContextStrategyExport === 'function') return getAsyncContextStrategyExport(getMainCarrier());
  getMainCarrier();
  const carrier = (GLOBAL_OBJ as { __SENTRY__?: Record<string, { acs?: StrategyLike } | undefined> }).__SENTRY__?.[SDK_VERSION];
  return carrier?.acs ?? {};
}

const spanIsIgnoredExport = exported('spanIsIgnored') as ((span: Span) => boolean) | undefined;

/** `spanIsIgnored(span)`: a non-recording span dropped by `ignoreSpans`. Before 10.64: by its `dropReason`. */
export function spanIsIgnored(span: Span): boolean {
  if (typeof spanIsIgnoredExport === 'function') return spanIsIgnoredExport(span);
  return !span.isRecording() && (span as { dropReason?: unknown }).dropReason === 'ignored';
}

const isContinuingTraceExport = exported('isContinuingTrace') as ((context: PropagationContext) => boolean) | undefined;

/** `isContinuingTrace(context)`: the context continues an incoming trace. Before 10.74: the same test, here. */
export function isContinuingTrace(context: PropagationContext): boolean {
  if (typeof isContinuingTraceExport === 'function') return isContinuingTraceExport(context);
  return !!context.parentSpanId || !!(context as { dsc?: unknown }).dsc;
}
