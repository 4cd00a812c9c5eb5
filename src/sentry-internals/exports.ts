/**
 * Exports of `@sentry/core` that not every release in the supported range has, or that Sentry
 * marks internal. Read through the namespace object, never imported by name: a named ESM import
 * of a missing export is a `SyntaxError` at load time.
 */
import * as SentryCore from '@sentry/core';

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
