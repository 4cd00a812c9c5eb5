import { currentAsyncContextStrategy } from '../../../src/sentry-internals/exports';
import type { Scope } from '@sentry/core';

/** Runs `fn` with `scope` as the current scope, through the installed strategy. */
export function withSetScope<T>(scope: Scope, fn: () => T): T {
  return (currentAsyncContextStrategy() as unknown as { withSetScope: <T>(s: unknown, f: () => T) => T }).withSetScope(scope, fn);
}
