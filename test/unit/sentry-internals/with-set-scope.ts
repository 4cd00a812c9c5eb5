import { getAsyncContextStrategy, getMainCarrier } from '@sentry/core';
import type { Scope } from '@sentry/core';

/** Runs `fn` with `scope` as the current scope, through the installed strategy. */
export function withSetScope<T>(scope: Scope, fn: () => T): T {
  return getAsyncContextStrategy(getMainCarrier()).withSetScope(scope, fn);
}
