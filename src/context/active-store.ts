/** How a store with a span active is made, for the strategy in force. */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { getRootSpan, withActiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { logDebug } from '../core/guard';
import { spanIsIgnored } from '../sentry-internals/exports';
import { storeWithActiveSpan } from '../sentry-internals/store-shapes';
import type { TracingChannelBinding } from './tracing-channel-binding';

/** Makes the store in which `span` is active; called with the caller's store current. */
export type MakeStore = (span: Span) => unknown;

/** What {@link storeWithSpan} returns when the span is not to be activated. */
export const NO_STORE: unique symbol = Symbol('no-store');

/**
 * The store maker of a strategy: its own `getStoreWithActiveSpan`, or else the generic
 * `withActiveSpan(span, () => als.getStore())`, short-cut for Sentry's known store shapes.
 */
export function storeMakerOf(binding: TracingChannelBinding): MakeStore {
  const custom = binding.getStoreWithActiveSpan;
  if (custom) return (span) => custom(span);
  const storage = binding.asyncLocalStorage;
  const read = (): unknown => storage.getStore();
  const generic = (span: Span): unknown => withActiveSpan(span, read);
  return (span) => storeWithActiveSpan(storage, span, generic);
}

/** The store with `span` active, or {@link NO_STORE} when it is not to be (or cannot be) activated. */
export function storeWithSpan(makeStore: MakeStore, span: Span): unknown {
  try {
    // an ignored (non-recording) child must not become the parent of what runs inside
    if (spanIsIgnored(span) && getRootSpan(span) !== span) return NO_STORE;
    const store = makeStore(span);
    return store === undefined || store === null ? NO_STORE : store;
  } catch (error) {
    logDebug('could not make the store with the active span; the span is not activated', error);
    return NO_STORE;
  }
}

/** The storage's current store; `undefined` when reading it throws (a broken strategy's storage). */
export function currentStore(storage: AsyncLocalStorage<unknown> | undefined): unknown {
  try {
    return storage?.getStore();
  } catch (error) {
    logDebug("the strategy's storage threw from getStore(); the caller's store is treated as empty", error);
    return undefined;
  }
}
