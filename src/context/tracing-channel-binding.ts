/** What an async-context strategy hands to bindings, and the factory custom strategies use. */
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@sentry/core';

/** What a strategy hands to bindings: its storage, and optionally a cheap way to make a store. */
export interface TracingChannelBinding {
  asyncLocalStorage: AsyncLocalStorage<unknown>;
  /** Returns the store in which `span` is the active span. Absent: `withActiveSpan(span, () => als.getStore())`. */
  getStoreWithActiveSpan?: (span: Span) => unknown;
}

/**
 * Builds what an async-context strategy returns from `getTracingChannelBinding()`: the storage
 * bindings attach to, and optionally `getStoreWithActiveSpan(span)`, which returns the store in
 * which `span` is active (run with the caller's store current). Without it, bindings use
 * `withActiveSpan(span, () => asyncLocalStorage.getStore())`, which works for any strategy but
 * forks a full scope per call.
 *
 * Throws a `TypeError` when `asyncLocalStorage` is not an AsyncLocalStorage-like object or
 * `getStoreWithActiveSpan` is not a function.
 */
export function createTracingChannelBinding<TStore = unknown>(
  asyncLocalStorage: AsyncLocalStorage<TStore>,
  getStoreWithActiveSpan?: (span: Span) => TStore,
): TracingChannelBinding {
  if (
    typeof asyncLocalStorage !== 'object' ||
    asyncLocalStorage === null ||
    typeof asyncLocalStorage.getStore !== 'function' ||
    typeof asyncLocalStorage.run !== 'function'
  ) {
    throw new TypeError('createTracingChannelBinding: `asyncLocalStorage` must be an AsyncLocalStorage');
  }
  if (getStoreWithActiveSpan !== undefined && typeof getStoreWithActiveSpan !== 'function') {
    throw new TypeError('createTracingChannelBinding: `getStoreWithActiveSpan` must be a function');
  }
  return getStoreWithActiveSpan
    ? { asyncLocalStorage: asyncLocalStorage as AsyncLocalStorage<unknown>, getStoreWithActiveSpan }
    : { asyncLocalStorage: asyncLocalStorage as AsyncLocalStorage<unknown> };
}
